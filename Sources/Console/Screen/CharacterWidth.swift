import CNCurses

/// How many terminal columns a character takes: 2 for East Asian wide characters, 0 for
/// combining marks, 1 otherwise. Uses the C library's `wcwidth` (right when the locale is
/// UTF-8, as the console sets it); when that cannot tell (a C locale in a test), falls back to
/// the Unicode wide ranges, so a grid measures the same either way.
public enum CharacterWidth {
    public static func columns(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        return columns(first)
    }

    public static func columns(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x7F { return 1 }
        let measured = Int(bc_wcwidth(wchar_t(bitPattern: value)))
        // Agree with ncurses, which measures with the same wcwidth.
        if measured >= 0 { return measured }
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark {
            return 0
        }
        return isWide(value) ? 2 : 1
    }

    public static func columns(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns($1) }
    }

    /// East Asian Wide and Fullwidth blocks (the common ones).
    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x20000...0x3FFFD).contains(v)
    }
}
