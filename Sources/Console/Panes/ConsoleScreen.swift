import CoAP

/// Renders the whole console into a ``Grid``: the four panes, the help bar, and the F1 page
/// when it is open. Pure: the same state, time and size give the same grid.
public enum ConsoleScreen {
    public struct Frame: Hashable, Sendable {
        public var grid: Grid
        /// Where the terminal cursor belongs (the input line), if shown.
        public var cursor: (row: Int, column: Int)?

        public static func == (a: Frame, b: Frame) -> Bool {
            a.grid == b.grid && a.cursor?.row == b.cursor?.row && a.cursor?.column == b.cursor?.column
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(grid) }
    }

    public static let helpBar: [(key: String, label: String)] = [
        ("F1", "Help"), ("Tab", "Complete"), ("/", "Search"), ("F4", "Filter"), ("F5", "Save .at"), ("F6", "Time"),
        ("F7", "Pause"), ("F8", "Tree"), ("F10", "Quit"),
    ]

    /// The help bar's keys that fit in `width` columns: the ones a newcomer can do without
    /// (F1 lists them all) go first.
    static func helpBar(fitting width: Int) -> [(key: String, label: String)] {
        var shown = helpBar
        for expendable in ["Tab", "F6", "F4"] {
            guard shown.reduce(0, { $0 + $1.key.count + $1.label.count + 2 }) > width else { break }
            shown.removeAll { $0.key == expendable }
        }
        return shown
    }

    public static func render(_ state: ConsoleState, now: Instant, width: Int, height: Int) -> Frame {
        var grid = Grid(width: width, height: height)
        let layout = ConsoleLayout(width: width, height: height)
        if layout.tooSmall {
            grid.put("Terminal \(width)×\(height) is too small:", row: 0, column: 0, style: .warning)
            grid.put("bc260 needs \(ConsoleLayout.minimumWidth)×\(ConsoleLayout.minimumHeight). F10 quits.", row: 1, column: 0, style: .warning)
            return Frame(grid: grid, cursor: nil)
        }
        LogPane.draw(into: &grid, rect: layout.log, model: state.model, view: state.logView, display: state.logDisplay)
        StatusPane.draw(into: &grid, rect: layout.status, status: state.model.status, now: now)
        if let walkthrough = state.walkthrough {
            WalkthroughPane.draw(into: &grid, rect: WalkthroughPane.rect(layout), walkthrough: walkthrough)
        } else {
            TreePane.draw(into: &grid, rect: layout.tree, model: state.model, view: state.treeView, focused: state.treeFocused)
        }
        var cursor = InputPane.draw(into: &grid, rect: layout.input, state: state)
        if let prompt = state.prompt {
            cursor = PromptBar.draw(prompt, state: state, into: &grid, row: layout.helpRow, width: width) ?? cursor
        } else {
            var x = 0
            for (key, label) in helpBar(fitting: width) {
                x += grid.put(key, row: layout.helpRow, column: x, style: .key)
                x += grid.put(" " + label + " ", row: layout.helpRow, column: x, style: .dim)
            }
        }
        if state.reference != nil || state.showsKeyHelp {
            ReferenceOverlay.draw(into: &grid, screen: Rect(row: 0, column: 0, width: width, height: height), spec: state.reference)
            return Frame(grid: grid, cursor: nil)
        }
        return Frame(grid: grid, cursor: cursor)
    }
}
