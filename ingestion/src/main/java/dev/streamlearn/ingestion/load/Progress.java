package dev.streamlearn.ingestion.load;

/** Told how far a load is, after every record; a display decides how often to redraw. */
@FunctionalInterface
public interface Progress {
    /**
     * @param done rows handled so far (sent or rejected)
     * @param total rows in all, or -1 if unknown
     * @param rejected rows rejected so far
     */
    void update(long done, long total, long rejected);

    static Progress silent() {
        return (done, total, rejected) -> {};
    }
}
