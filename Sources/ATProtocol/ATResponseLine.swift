/// One line the module sends: a final result, an information or URC line, or plain text.
///
/// Building: `ATResponseLine.information("QLAREG", .integer(0)).text` is `+QLAREG: 0`;
/// `framed` wraps a line as the module sends it, `\r\n<line>\r\n`.
/// Reading (a console on a module's output): ``parse(_:)`` never fails; a line it cannot split
/// into fields is kept as ``text(_:)``.
public enum ATResponseLine: Hashable, Sendable, CustomStringConvertible {
    case ok
    case error
    /// `+NAME: v1,v2,...`; `name` without the `+`. Strings are quoted as given (the syntax has no
    /// escapes), integers in decimal, tokens bare (`(0-3)`, `U`), empty fields as nothing.
    case information(name: String, values: [ATValue])
    /// Any other line: `RDY`, `Quectel`, an echoed command.
    case text(String)

    /// `+NAME: v1,v2,...` from variadic values.
    public static func information(_ name: String, _ values: ATValue...) -> ATResponseLine {
        .information(name: name, values: values)
    }

    /// The line without framing.
    public var text: String {
        switch self {
        case .ok: "OK"
        case .error: "ERROR"
        case .information(let name, let values):
            values.isEmpty ? "+" + name + ":" : "+" + name + ": " + values.map(\.formatted).joined(separator: ",")
        case .text(let text): text
        }
    }

    public var description: String { text }

    /// `\r\n<line>\r\n`, as the module sends every response line.
    public var framed: String { Self.frame(text) }

    /// The framed line as bytes.
    public var framedBytes: [UInt8] {
        var bytes: [UInt8] = []
        appendFramed(to: &bytes)
        return bytes
    }

    /// Appends `\r\n<line>\r\n` to `bytes`, the same bytes as ``framed``, without building the
    /// strings (the engine frames every line it answers).
    public func appendFramed(to bytes: inout [UInt8]) {
        bytes.append(0x0D)
        bytes.append(0x0A)
        switch self {
        case .ok: bytes += "OK".utf8
        case .error: bytes += "ERROR".utf8
        case .information(let name, let values):
            bytes.append(UInt8(ascii: "+"))
            bytes += name.utf8
            bytes.append(UInt8(ascii: ":"))
            for (index, value) in values.enumerated() {
                bytes.append(index == 0 ? UInt8(ascii: " ") : UInt8(ascii: ","))
                value.appendFormatted(to: &bytes)
            }
        case .text(let text): bytes += text.utf8
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// `\r\n<line>\r\n`.
    public static func frame(_ line: String) -> String { "\r\n" + line + "\r\n" }

    /// Frames several lines, e.g. an information line and the `OK` that ends it.
    public static func frame(_ lines: [ATResponseLine]) -> String { lines.map(\.framed).joined() }

    /// True for `OK` and `ERROR` (and `+CME ERROR: n`), the lines that end a command.
    public var isFinalResult: Bool {
        switch self {
        case .ok, .error: true
        case .information(let name, _): name == "CME ERROR"
        case .text: false
        }
    }

    /// Reads a response line (without framing). `+NAME: fields` becomes `information` when every
    /// field reads (see ``FieldScanner`` for the quoting rule); otherwise the line is `text`.
    public static func parse(_ line: String) -> ATResponseLine {
        switch line {
        case "OK": return .ok
        case "ERROR": return .error
        default: break
        }
        let bytes = Array(line.utf8)
        guard bytes.first == UInt8(ascii: "+"), let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 1 else {
            return .text(line)
        }
        let nameBytes = bytes[1..<colon]
        guard nameBytes.allSatisfy({ isNameByte($0) }) else { return .text(line) }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var start = colon + 1
        while start < bytes.count, FieldScanner.isSpace(bytes[start]) { start += 1 }
        if start == bytes.count { return .information(name: name, values: []) }
        guard let values = try? FieldScanner.split(bytes, from: start, dialect: .response) else { return .text(line) }
        return .information(name: name, values: values)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_") || byte == 0x20
    }
}
