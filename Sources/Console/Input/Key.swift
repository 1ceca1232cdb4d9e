/// A key the console reacts to, as a driver decodes it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter
    case backspace
    case delete
    case left, right, home, end
    case up, down
    case pageUp, pageDown
    case tab
    case escape
    /// F1...F12.
    case function(Int)
    /// Ctrl plus a letter, lower case (`control("c")` is byte 3).
    case control(Character)
    /// The terminal changed size.
    case resize

    /// The key a byte below 0x20 (or DEL) stands for in raw mode.
    public static func fromControlByte(_ byte: UInt32) -> Key? {
        switch byte {
        case 0x0D, 0x0A: .enter
        case 0x09: .tab
        case 0x08, 0x7F: .backspace
        case 0x1B: .escape
        case 0x01...0x1A: .control(Character(Unicode.Scalar(byte + 0x60) ?? "?"))
        default: nil
        }
    }
}
