package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.load.Pacer;
import picocli.CommandLine.Option;

/** How fast to send: at most one of --rate, --replay-speed, --as-fast-as-possible (the default). */
final class PaceOptions {
    @Option(names = "--rate", paramLabel = "N", description = "Send N events per second.")
    Double rate;

    @Option(
            names = "--replay-speed",
            paramLabel = "X",
            description = "Replay the gaps between event times X times faster (1 = real time).")
    Double replaySpeed;

    @Option(
            names = "--as-fast-as-possible",
            description = "Send as fast as the broker takes them (default).")
    boolean asFastAsPossible;

    Pacer pacer() {
        if (rate != null) {
            return Pacer.fixedRate(rate);
        }
        if (replaySpeed != null) {
            return Pacer.replay(replaySpeed);
        }
        return Pacer.asFastAsPossible();
    }
}
