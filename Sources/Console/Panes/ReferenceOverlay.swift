import ATProtocol

/// The F1 page over the panes: the full reference of the command being typed (its help text
/// from the catalogue, the note's Chinese title included), or the keys when nothing is typed.
enum ReferenceOverlay {
    static let keys = [
        "Keys",
        "  Enter        send the line (a line marked ✗ is still sent, to see the module's ERROR)",
        "  Tab          complete a command name or an AT+QLACFG key",
        "  Up / Down    walk the history",
        "  F2           put the answer to the newest pending server request in the line",
        "  F3           put the walkthrough's line back (bc260 --walkthrough ct|aep|andlink)",
        "  :read 1 /19/0/0   a line starting with : plays the embedded platform (:help lists its commands)",
        "  Left/Right, Home/End, Ctrl-A/E/U/K   edit the line",
        "  PgUp / PgDn  scroll the log;  Home / End on an empty line: oldest / follow",
        "  F1           this page, or the reference of the command being typed",
        "  Esc          close this page",
        "  F10, Ctrl-C  quit",
    ]

    static func draw(into grid: inout Grid, screen: Rect, spec: CommandSpec?) {
        let rect = Rect(row: 1, column: 2, width: screen.width - 4, height: screen.height - 3)
        for y in rect.row..<(rect.row + rect.height) { grid.fill(row: y, column: rect.column, count: rect.width) }
        grid.frame(rect, title: spec.map { "Reference · \($0.name) · Esc closes" } ?? "Help · Esc closes")
        let area = rect.inner
        let text = spec?.helpText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) ?? keys
        var row = area.row
        for line in text {
            for piece in TextWrap.lines(line, columns: area.width - 1) where row < area.row + area.height {
                grid.put(piece, row: row, column: area.column, style: row == area.row ? .title : .normal)
                row += 1
            }
        }
    }
}
