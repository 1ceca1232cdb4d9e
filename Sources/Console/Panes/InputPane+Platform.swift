extension InputPane {
    /// The hint under a `:` line: what the embedded platform can be asked, or why it cannot.
    static func drawPlatformHint(into grid: inout Grid, area: Rect, playsPlatform: Bool) {
        let row = area.row + 1
        grid.put(":", row: row, column: area.column, style: playsPlatform ? .ok : .warning)
        let text = "platform: read EP PATH · write EP PATH VALUE · observe · cancel · exec · discover · list · help"
        grid.put(TextWrap.clipped(text, columns: area.width - 2), row: row, column: area.column + 2, style: .hint)
        guard area.height >= 3 else { return }
        let detail = playsPlatform
            ? "EP: 1 is the first client in :list · the platform the module registered with answers, or name it: :ct, :aep, :andlink"
            : "✗ only the emulator backend has a platform to play; on a serial port the server is real"
        grid.put(TextWrap.clipped(detail, columns: area.width), row: area.row + 2, column: area.column,
                 style: playsPlatform ? .hint : .warning)
    }
}
