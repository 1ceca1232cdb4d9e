/// Which lines of the object tree the pane shows when they do not all fit: the top by default,
/// moved down only as far as needed to show the first pending request; once the person pages
/// (F8, then PgUp/PgDn), held where they put it until End gives it back to that default.
///
/// A window that does not start at the top spends its first row on "↑ n above"; one that does
/// not reach the end spends its last row on "… n more".
public struct TreeView: Hashable, Sendable {
    /// The first line shown, when the person chose it; nil follows the default.
    public private(set) var top: Int?

    public init() {}

    /// The lines shown (`lines`) and how many are hidden above and below them, for `count`
    /// lines in `rows` rows; `reveal` is a line to keep in view when not held.
    public func window(count: Int, rows: Int, reveal: Int? = nil) -> (lines: Range<Int>, above: Int, below: Int) {
        guard rows > 0, count > rows else { return (0..<max(0, min(count, rows)), 0, 0) }
        // Too few rows for markers: a plain slice.
        let markers = rows >= 3
        let lastStart = markers ? count - rows + 1 : count - rows
        var start = top ?? 0
        if top == nil, let reveal, reveal >= rows - 1 { start = reveal }  // right under the "above" row
        start = min(max(0, start), lastStart)
        guard markers else { return (start..<(start + rows), start, count - start - rows) }
        if start == 0 { return (0..<(rows - 1), 0, count - (rows - 1)) }
        let end = count - start <= rows - 1 ? count : start + rows - 2
        return (start..<end, start, count - end)
    }

    /// A page up or down (`pages` negative: up) from where the window is now.
    public mutating func page(_ pages: Int, count: Int, rows: Int, reveal: Int? = nil) {
        let current = window(count: count, rows: rows, reveal: reveal).lines.lowerBound
        // The window clamps a top past the end.
        top = max(0, current + pages * max(1, rows - 2))
    }

    /// The first line (Home).
    public mutating func home() { top = 0 }

    /// Back to the default window (End).
    public mutating func release() { top = nil }
}
