import CoAP

/// Draws the log: newest at the bottom (or where the view holds), each entry with its
/// timestamp (clock, delta or elapsed, see ``LogDisplay``), a mark for its direction and kind,
/// wrapped to the pane's width. A server request still pending is marked `!` in the pending
/// style; a command shown only as context for a filtered line is marked `·` and dim; search
/// matches are highlighted. The title says how the pane is set: timestamps, filter, search,
/// follow or paused (with the lines that arrived below the view).
enum LogPane {
    static let timestampWidth = 12
    static var markColumn: Int { timestampWidth + 1 }
    static var textColumn: Int { timestampWidth + 3 }

    static func draw(into grid: inout Grid, rect: Rect, model: SessionModel, view: LogView, display: LogDisplay = LogDisplay()) {
        grid.frame(rect, title: title(model: model, view: view, display: display))
        let area = rect.inner
        guard area.width > textColumn, area.height > 0, let bottom = view.bottomSequence(in: model.log) else { return }
        let log = model.log
        let first = log[0].sequence
        let textColumns = area.width - textColumn
        // Gather the shown entries that end at `bottom`, newest first, until the pane is full.
        var blocks: [(index: Int, context: Bool, pieces: [String])] = []
        var rows = 0
        display.walkBackward(log, from: bottom - first) { index, context in
            let pieces = TextWrap.lines(log[index].text, columns: textColumns)
            blocks.append((index, context, pieces))
            rows += pieces.count
            return rows < area.height
        }
        // Fewer lines than rows: start at the top, as a terminal does.
        var row = rows < area.height ? area.row + rows - 1 : area.row + area.height - 1
        for (index, context, pieces) in blocks {
            let entry = log[index]
            let pending = entry.messageID.map(model.isPending(messageID:)) ?? false
            let style = context ? CellStyle.dim : pending ? CellStyle.pending : style(of: entry.kind)
            for (offset, piece) in pieces.enumerated().reversed() where row >= area.row {
                if offset == 0 {
                    grid.put(display.timestamp(log, index: index), row: row, column: area.column, style: .dim, limit: timestampWidth)
                    grid.put(context ? "·" : pending ? "!" : mark(of: entry.kind), row: row, column: area.column + markColumn, style: style)
                }
                grid.put(piece, row: row, column: area.column + textColumn, style: style, limit: textColumns)
                if !context, !display.search.isEmpty {
                    let characters = Array(piece)
                    for range in LogDisplay.occurrences(of: display.search, in: piece) {
                        let x = area.column + textColumn + CharacterWidth.columns(String(characters[..<range.lowerBound]))
                        grid.put(String(characters[range]), row: row, column: x, style: .match,
                                 limit: max(0, area.column + area.width - x))
                    }
                }
                row -= 1
            }
        }
    }

    static func title(model: SessionModel, view: LogView, display: LogDisplay) -> String {
        var parts = ["AT log", display.timestamps.rawValue]
        if display.isFiltering { parts.append(display.filterSummary) }
        if !display.search.isEmpty { parts.append("/" + display.search + (display.searchFailed ? " not found" : " n/N")) }
        if view.follow {
            parts.append("follow")
        } else {
            let below = view.linesBelow(in: model.log)
            parts.append(below > 0 ? "paused · \(below) new · End follows" : "paused · End follows")
        }
        return parts.joined(separator: " · ")
    }

    static func pad(_ n: Int64, _ width: Int) -> String { LogDisplay.pad(n, width) }

    static func style(of kind: LogEntry.Kind) -> CellStyle {
        switch kind {
        case .command: .command
        case .ok: .ok
        case .error: .error
        case .result: .result
        case .urc: .urc
        case .note: .note
        }
    }

    static func mark(of kind: LogEntry.Kind) -> String {
        switch kind {
        case .command: ">"
        case .ok, .error, .result: "<"
        case .urc: "*"
        case .note: "#"
        }
    }
}
