/// Draws the AT input: the prompt and the line (scrolled to keep the cursor in view), then the
/// live hint: a mark (✓ accepted, ✗ rejected, … still typing), the syntax with the current
/// parameter highlighted, and the parameter's meaning and range, or why the line is refused.
enum InputPane {
    static let prompt = "AT> "

    /// Returns where the terminal cursor goes.
    static func draw(into grid: inout Grid, rect: Rect, state: ConsoleState) -> (row: Int, column: Int) {
        grid.frame(rect, title: "AT command")
        let area = rect.inner
        guard area.width > prompt.count + 2, area.height >= 1 else { return (rect.row, rect.column) }
        grid.put(prompt, row: area.row, column: area.column, style: .key)
        let room = area.width - prompt.count - 1
        let chars = state.editor.characters
        // Scroll so the cursor stays visible: show the widest tail ending at the cursor that fits.
        var start = 0
        var used = 0
        var i = state.editor.cursor
        while i > 0 {
            let w = CharacterWidth.columns(chars[i - 1])
            if used + w > room - 1 { break }
            used += w
            i -= 1
        }
        start = i
        let visible = String(chars[start...])
        grid.put(visible, row: area.row, column: area.column + prompt.count, style: .command, limit: room)
        let cursorColumn = area.column + prompt.count + CharacterWidth.columns(String(chars[start..<state.editor.cursor]))

        guard area.height >= 2 else { return (area.row, cursorColumn) }
        if PlatformPlay(state.editor.text) != nil {
            drawPlatformHint(into: &grid, area: area, playsPlatform: state.playsPlatform)
            return (area.row, cursorColumn)
        }
        let hint = state.hint
        let hintRow = area.row + 1
        let mark: (String, CellStyle)
        switch hint.verdict {
        case .empty: mark = (" ", .hint)
        case .accepted: mark = ("✓", .ok)
        case .rejected(_, true): mark = ("…", .hint)
        case .rejected(_, false): mark = ("✗", .warning)
        }
        grid.put(mark.0, row: hintRow, column: area.column, style: mark.1)
        let hintColumn = area.column + 2
        let hintWidth = area.width - 2
        if !state.completionCandidates.isEmpty {
            grid.put(TextWrap.clipped(state.completionCandidates.joined(separator: "  "), columns: hintWidth),
                     row: hintRow, column: hintColumn, style: .hint)
        } else if let syntax = hint.syntax {
            drawSyntax(syntax, highlight: hint.highlight, into: &grid, row: hintRow, column: hintColumn, width: hintWidth)
        } else if case .empty = hint.verdict {
            let text = state.model.pending.isEmpty
                ? (state.walkthrough.map { "Walkthrough: " + $0.statusText + " · F3 offers the line" }
                    ?? "Type an AT command · Tab completes · F1 explains it")
                : "F2 puts the answer to the pending \(state.model.pending.last?.operation.rawValue ?? "request") in the line"
            grid.put(TextWrap.clipped(text, columns: hintWidth), row: hintRow, column: hintColumn, style: .hint)
        }
        guard area.height >= 3 else { return (area.row, cursorColumn) }
        let detailRow = area.row + 2
        let detail: (String, CellStyle)?
        switch hint.verdict {
        case .rejected(let reason, false): detail = ("✗ " + reason, .warning)
        case .empty where !state.model.pending.isEmpty:
            let p = state.model.pending[state.model.pending.count - 1]
            detail = ("pending: \(p.operation.rawValue) \(p.path) (message \(p.messageID))", .pending)
        default:
            detail = hint.parameterText.map { ($0, .hint) } ?? hint.spec.map { ($0.summary, .hint) }
        }
        if let detail {
            grid.put(TextWrap.clipped(detail.0, columns: area.width), row: detailRow, column: area.column, style: detail.1)
        }
        return (area.row, cursorColumn)
    }

    private static func drawSyntax(_ syntax: String, highlight: Range<Int>?, into grid: inout Grid, row: Int, column: Int, width: Int) {
        let chars = Array(syntax)
        guard let h = highlight, h.lowerBound >= 0, h.upperBound <= chars.count else {
            grid.put(TextWrap.clipped(syntax, columns: width), row: row, column: column, style: .hint)
            return
        }
        // Keep the highlighted parameter in view on a narrow pane.
        let before = String(chars[..<h.lowerBound])
        var lead = before
        if CharacterWidth.columns(before) + h.count > width - 2 {
            lead = "…" + String(before.suffix(max(0, width / 3)))
        }
        var x = column
        x += grid.put(lead, row: row, column: x, style: .hint, limit: column + width - x)
        x += grid.put(String(chars[h]), row: row, column: x, style: .hintParameter, limit: column + width - x)
        grid.put(TextWrap.clipped(String(chars[h.upperBound...]), columns: max(0, column + width - x)), row: row, column: x, style: .hint)
    }
}
