/// Why a line is not a well-formed AT command line, and where (a byte offset into the line's
/// UTF-8 text as given to the parser). The module answers such a line with `ERROR`.
public struct ATParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// Nothing but spaces.
        case emptyLine
        /// The line does not start with `AT` (any case).
        case missingPrefix
        /// `AT+` with no name after it.
        case missingCommandName
        /// A character that cannot be part of a command name (shown as found).
        case invalidNameCharacter(String)
        /// Text after a complete command (after `?`, `=?`, or a basic command's number).
        case unexpectedText(String)
        /// `;` outside quotes: several commands on one line are not supported.
        case commandConcatenation
        /// A `"` that no closing quote followed by `,` or the end of the line matches.
        case unterminatedString
        /// A `"` inside an unquoted parameter.
        case quoteInUnquotedParameter
        /// A control character (other than tab) in the line.
        case controlCharacter(UInt8)
        /// A basic command's number does not fit.
        case numberTooLarge
    }

    public let reason: Reason
    public let offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String = switch reason {
        case .emptyLine: "empty line"
        case .missingPrefix: "a command line must start with AT"
        case .missingCommandName: "no command name after AT+"
        case .invalidNameCharacter(let c): "'\(c)' cannot be part of a command name"
        case .unexpectedText(let text): "unexpected text '\(text)' after the command"
        case .commandConcatenation: "';' (several commands on one line) is not supported"
        case .unterminatedString: "string has no closing quote followed by ',' or the end of the line"
        case .quoteInUnquotedParameter: "'\"' inside an unquoted parameter"
        case .controlCharacter(let byte): "control character 0x\(byte < 16 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
        case .numberTooLarge: "number too large"
        }
        return what + " (at offset \(offset))"
    }
}
