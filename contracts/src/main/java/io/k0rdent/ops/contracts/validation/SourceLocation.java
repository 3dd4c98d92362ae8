package io.k0rdent.ops.contracts.validation;

/**
 * A position in a definition file, in the convention of {@link ValidationProblem}: both numbers are
 * 1-based, and {@link #WHOLE_FILE} ({@code 0:0}) stands for the file as a whole.
 *
 * @param line   1-based line, or 0 for the whole file
 * @param column 1-based column, counted in Unicode code points, or 0 for the whole file
 */
public record SourceLocation(int line, int column) {

    /** The location of problems that concern the file rather than one node in it. */
    public static final SourceLocation WHOLE_FILE = new SourceLocation(0, 0);

    public SourceLocation {
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative: " + line + ":" + column);
        }
    }
}
