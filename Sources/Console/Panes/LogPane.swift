import CoAP

/// Draws the log: newest at the bottom (or where the view holds), each entry with its time
/// since the session began, a mark for its direction and kind, wrapped to the pane's width.
/// A server request still pending is marked `!` in the pending style.
enum LogPane {
    static func draw(into grid: inout Grid, rect: Rect, model: SessionModel, view: LogView) {
        let follow = view.follow ? "follow" : "paused · End follows"
        grid.frame(rect, title: "AT log · \(follow)")
        let area = rect.inner
        guard area.width > 12, area.height > 0, let bottom = view.bottomSequence(in: model.log) else { return }
        let log = model.log
        let first = log[0].sequence
        let textColumns = area.width - 12
        // Gather the entries that end at `bottom`, newest first, until the pane is full.
        var blocks: [(entry: LogEntry, pieces: [String])] = []
        var rows = 0
        var index = bottom - first
        while index >= 0, rows < area.height {
            let entry = log[index]
            let pieces = TextWrap.lines(entry.text, columns: textColumns)
            blocks.append((entry, pieces))
            rows += pieces.count
            index -= 1
        }
        // Fewer lines than rows: start at the top, as a terminal does.
        var row = rows < area.height ? area.row + rows - 1 : area.row + area.height - 1
        for (entry, pieces) in blocks {
            let pending = entry.messageID.map(model.isPending(messageID:)) ?? false
            let style = pending ? CellStyle.pending : style(of: entry.kind)
            for (offset, piece) in pieces.enumerated().reversed() where row >= area.row {
                if offset == 0 {
                    grid.put(timestamp(entry.at), row: row, column: area.column, style: .dim)
                    grid.put(pending ? "!" : mark(of: entry.kind), row: row, column: area.column + 10, style: style)
                }
                grid.put(piece, row: row, column: area.column + 12, style: style, limit: textColumns)
                row -= 1
            }
        }
    }

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

    /// `mm:ss.mmm` since the session began (hours roll into minutes).
    static func timestamp(_ at: Instant) -> String {
        let ms = max(0, at.milliseconds)
        let minutes = ms / 60_000
        let seconds = (ms / 1000) % 60
        let millis = ms % 1000
        return pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(millis, 3)
    }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
