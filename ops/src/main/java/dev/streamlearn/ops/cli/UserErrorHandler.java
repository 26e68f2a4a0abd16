package dev.streamlearn.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one readable line on stderr and exit code 1. Our exceptions carry
 * messages written for the user (which input, what was expected), so a stack trace would only bury
 * them; set {@code STREAMLEARN_DEBUG=1} to see it anyway.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
        commandLine.getErr().println(commandLine.getCommandName() + ": " + describe(e));
        if (System.getenv("STREAMLEARN_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
        }
        return FAILED;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
