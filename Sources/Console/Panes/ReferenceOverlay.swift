import ATProtocol

/// The F1 page over the panes: the full reference of the command being typed (its help text
/// from the catalogue, the note's Chinese title included), or the keys when nothing is typed.
enum ReferenceOverlay {
    static let keys = [
        "Keys",
        "  Enter        send the line (a line marked ✗ is still sent: see ERROR)",
        "  Tab          complete a command name or an AT+QLACFG key",
        "  Up / Down    walk the history;  Ctrl-R  search it back (again: older)",
        "  F2 / F3      offer the pending request's answer / the walkthrough's line",
        "  :read 1 /19/0/0  a line starting with : plays the platform (:help)",
        "  Left/Right, Home/End, Ctrl-A/E/U/K   edit the line",
        "  PgUp / PgDn  scroll the log; Home / End (empty line): oldest / follow",
        "  /            search the log (empty line); n older, N newer, Esc ends",
        "  F4           filter by kind: c command, o OK, e error, r result, u URC,",
        "               n note, a all; a hidden command shows dim (·) as context",
        "  F5, Ctrl-S   save the session as an .at script that bc260 run replays",
        "  F6           timestamps: clock, delta (since the line before), elapsed",
        "  F7           pause / follow the log (paused: new lines counted)",
        "  F8           PgUp/PgDn, Home/End move the object tree (F8 again: the log)",
        "  F1 / Esc     this page or the typed command's reference / close it",
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
