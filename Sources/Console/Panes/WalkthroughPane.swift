/// Draws a walkthrough in place of the object tree (and of the status pane too, on a screen too
/// short to give the tree room): the section, step n of m and what it waits for, any problem
/// with the last attempt, and the step's explanation.
enum WalkthroughPane {
    /// The tree's rectangle, or the whole right column when the tree has under 10 rows.
    static func rect(_ layout: ConsoleLayout) -> Rect {
        guard layout.tree.height < 10 else { return layout.tree }
        return Rect(row: layout.status.row, column: layout.status.column, width: layout.status.width,
                    height: layout.status.height + layout.tree.height)
    }

    static func draw(into grid: inout Grid, rect: Rect, walkthrough: Walkthrough) {
        for y in rect.row..<(rect.row + rect.height) { grid.fill(row: y, column: rect.column, count: rect.width) }
        grid.frame(rect, title: "Walkthrough \(walkthrough.section.noteSection) · F3 offers the line")
        let area = rect.inner
        guard area.width > 4, area.height > 0 else { return }
        var row = area.row
        func write(_ text: String, _ style: CellStyle) {
            for piece in TextWrap.lines(text, columns: area.width) where row < area.row + area.height {
                grid.put(piece, row: row, column: area.column, style: style)
                row += 1
            }
        }
        write(walkthrough.section.title, .title)
        write(walkthrough.statusText, walkthrough.phase == .finished ? .good : .pending)
        if let problem = walkthrough.problem { write(problem, .warning) }
        for line in walkthrough.explanation() { write(line, .hint) }
    }
}
