/// Draws an open ``ConsolePrompt`` in place of the help bar, with what its keys do: the log
/// search pattern being typed, the filter's kinds (shown ones highlighted), or the reverse
/// history search as a shell shows it.
enum PromptBar {
    /// Returns where the terminal cursor goes (nil: leave it in the input line).
    static func draw(_ prompt: ConsolePrompt, state: ConsoleState, into grid: inout Grid, row: Int, width: Int) -> (row: Int, column: Int)? {
        switch prompt {
        case .search(let pattern):
            var x = grid.put("/", row: row, column: 0, style: .key)
            x += grid.put(pattern, row: row, column: x, style: .command, limit: max(0, width - 40))
            grid.put("  Enter finds it (older)  n/N older/newer  Esc", row: row, column: x + 1, style: .dim, limit: max(0, width - x - 1))
            return (row, x)
        case .filter:
            var x = grid.put("Filter", row: row, column: 0, style: .key) + 1
            for (key, kind) in LogDisplay.filterKeys {
                let shown = state.logDisplay.kinds.contains(kind)
                x += grid.put("\(key) \(kind.rawValue)", row: row, column: x, style: shown ? .match : .dim)
                x += 1
            }
            grid.put("a all · hidden commands stay, dim, before lines they led to · Enter done", row: row, column: x,
                     style: .dim, limit: max(0, width - x))
            return nil
        case .history(let search):
            let label = search.failed ? "(failing reverse-i-search)`" : "(reverse-i-search)`"
            var x = grid.put(label, row: row, column: 0, style: .dim)
            x += grid.put(search.pattern, row: row, column: x, style: .command, limit: max(0, width - 60))
            let cursor = (row, x)
            grid.put("': Ctrl-R older  Enter sends  ←→ edit  Esc", row: row, column: x, style: .dim, limit: max(0, width - x))
            return cursor
        }
    }
}
