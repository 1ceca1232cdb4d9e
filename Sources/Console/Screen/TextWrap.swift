/// Cuts text into pieces no wider than a number of columns, for panes that wrap.
enum TextWrap {
    /// Pieces of at most `columns` columns each (at least one piece; hard breaks, no word
    /// logic: AT lines are long runs of hex and commas).
    static func lines(_ text: String, columns: Int) -> [String] {
        guard columns > 0 else { return [text] }
        var pieces: [String] = []
        var current = ""
        var used = 0
        for c in text {
            let w = CharacterWidth.columns(c)
            if used + w > columns, !current.isEmpty {
                pieces.append(current)
                current = ""
                used = 0
            }
            current.append(c)
            used += w
        }
        pieces.append(current)
        return pieces
    }

    /// `text` cut to `columns`, ending in `…` when it was longer.
    static func clipped(_ text: String, columns: Int) -> String {
        guard CharacterWidth.columns(text) > columns else { return text }
        guard columns > 1 else { return columns == 1 ? "…" : "" }
        var out = ""
        var used = 0
        for c in text {
            let w = CharacterWidth.columns(c)
            if used + w > columns - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }
}
