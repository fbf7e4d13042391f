/// Renders diagnostics the way compilers do: a `file:line:column: severity: message` header,
/// then the source line and a caret line under the range.
///
///     rules/fraud.rules:12:31: error: expected ')' to close '(' at 12:18
///     12 |   WHERE distance(data.location, login.data.location > 1000
///        |                                                        ^
///
/// Columns count Unicode scalars. In the snippet, a tab is shown as one space and other
/// control characters as their Unicode control pictures (`␀`), so the caret stays aligned;
/// a line longer than `maximumSnippetWidth` scalars is cut around the caret, with `…`.
public enum DiagnosticRenderer {
    /// The most scalars of a source line shown in a snippet.
    public static let maximumSnippetWidth = 120

    /// One diagnostic and its notes, as lines separated by `\n` (no final newline). A note
    /// with a range gets its own snippet; one without is placed at the diagnostic's position.
    public static func render(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
        let (line, column) = source.location(of: diagnostic.range.start)
        var lines = ["\(source.name):\(line):\(column): \(diagnostic.severity.rawValue): \(diagnostic.message)"]
        lines += snippet(diagnostic.range, in: source)
        for note in diagnostic.notes {
            if let range = note.range {
                let (noteLine, noteColumn) = source.location(of: range.start)
                lines.append("\(source.name):\(noteLine):\(noteColumn): note: \(note.message)")
                lines += snippet(range, in: source)
            } else {
                lines.append("\(source.name):\(line):\(column): note: \(note.message)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Several diagnostics, one after the other, separated by `\n` (no final newline).
    public static func render(_ diagnostics: [Diagnostic], in source: SourceFile) -> String {
        diagnostics.map { render($0, in: source) }.joined(separator: "\n")
    }

    /// The source line of `range.start` and the caret line under it: `^` at the start, then
    /// `~` to the end of the range or of the line, whichever comes first.
    static func snippet(_ range: SourceRange, in source: SourceFile) -> [String] {
        let bytes = source.bytes
        let start = min(max(range.start, 0), bytes.count)
        let end = min(max(range.end, start), bytes.count)
        let lineNumber = source.location(of: start).line
        guard lineNumber >= 1, lineNumber <= source.lineStarts.count else { return [] }
        let lineStart = source.lineStarts[lineNumber - 1]
        var lineEnd = lineNumber < source.lineStarts.count ? source.lineStarts[lineNumber] - 1 : bytes.count
        if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }

        // Only a window of the line around the range is decoded: a few times the snippet's
        // width in bytes on each side, moved to scalar boundaries.
        let reach = maximumSnippetWidth * 4
        var from = max(lineStart, start - reach)
        while from > lineStart, from < bytes.count, bytes[from] & 0xC0 == 0x80 { from -= 1 }
        var to = min(lineEnd, max(end, start) + reach)
        while to < lineEnd, bytes[to] & 0xC0 == 0x80 { to += 1 }

        // The window as displayed, and the display columns (0-based, in the window) of the ends.
        var shown = String.UnicodeScalarView()
        var count = 0
        var startColumn: Int?
        var endColumn: Int?
        var i = from
        while i < to {
            if startColumn == nil, i >= start { startColumn = count }
            if endColumn == nil, i >= end { endColumn = count }
            let scalar: Unicode.Scalar
            if let (decoded, length) = ByteClass.decodeScalar(bytes, at: i) {
                scalar = displayed(decoded)
                i += length
            } else {
                scalar = "\u{FFFD}"
                i += 1
            }
            shown.append(scalar)
            count += 1
        }
        let caret = startColumn ?? count
        let underline = max(1, (endColumn ?? count) - caret)

        // Cut to a window of the snippet's width around the caret.
        var windowStart = 0
        var windowEnd = count
        if count > maximumSnippetWidth {
            windowStart = max(0, min(caret - maximumSnippetWidth / 3, count - maximumSnippetWidth))
            windowEnd = windowStart + maximumSnippetWidth
        }
        let cutBefore = windowStart > 0 || from > lineStart
        let cutAfter = windowEnd < count || to < lineEnd
        var text = ""
        if cutBefore { text += "…" }
        var column = 0
        for scalar in shown {
            if column >= windowStart && column < windowEnd { text.unicodeScalars.append(scalar) }
            column += 1
        }
        if cutAfter { text += "…" }
        let caretOffset = caret - windowStart + (cutBefore ? 1 : 0)
        let shownUnderline = max(1, min(underline, windowEnd - caret))

        let gutter = String(lineNumber)
        let blank = String(repeating: " ", count: gutter.count)
        return [
            text.isEmpty ? "\(gutter) |" : "\(gutter) | \(text)",
            "\(blank) | " + String(repeating: " ", count: caretOffset) + "^" + String(repeating: "~", count: shownUnderline - 1),
        ]
    }

    /// A tab as a space, other control characters as Unicode control pictures (one column each).
    private static func displayed(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x09: return " "
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + scalar.value) ?? "?"
        case 0x7F: return "\u{2421}"
        default: return scalar
        }
    }
}
