/// Cuts a byte stream into lines, in either direction of an AT link.
///
/// Contract:
/// - A line ends at CR, at LF, or at CR LF; since an empty line is dropped, CR LF, LF CR and any
///   storm of CR and LF between two lines never produce a line. Bytes may arrive split anywhere:
///   byte by byte, CR and LF in separate reads, several lines in one read; the result is the same.
/// - A line longer than `maximumLineLength` bytes is reported once, at its terminator, as
///   ``FramedLine/Content/tooLong(byteCount:)``; only its first `maximumLineLength` bytes are
///   kept, so memory stays bounded whatever the peer sends.
/// - A line holding NUL or bytes that are not UTF-8 is reported as
///   ``FramedLine/Content/invalid(_:)``; it never traps.
/// - Each ``FramedLine`` keeps the raw bytes it was cut from and the byte that ended it, so an
///   echo can repeat exactly what arrived.
///
/// The module reads a command line up to CR (V.250's S3) and acts at once: it does not wait for a
/// following LF, which is why CR alone ends a line here, and the LF that may follow is then an
/// empty line, dropped.
public struct LineFramer: Sendable {
    /// The longest command line the emulated module accepts, in bytes, without its terminator.
    ///
    /// The note gives no figure. The longest line the catalogue allows is about 1,090 bytes
    /// (`AT+QLARDRSP` or `AT+QLANOTIFY` carrying a 1,024-byte string or 512 bytes of hex);
    /// 1,536 leaves room for spaces and long numbers while still refusing runaway input, as the
    /// module's fixed receive buffer does. A longer line is answered `ERROR`.
    public static let moduleCommandLineLimit = 1536

    /// The longest response or URC line a console keeps when reading a module: a `write` URC
    /// with 1,024 bytes of text or 512 bytes of hex stays well below it.
    public static let consoleResponseLineLimit = 8192

    public let maximumLineLength: Int
    private var buffer: [UInt8] = []
    private var byteCount = 0

    /// Frames command lines as the module receives them (limit ``moduleCommandLineLimit``).
    public static func commandInput() -> LineFramer { LineFramer(maximumLineLength: moduleCommandLineLimit) }

    /// Frames `\r\n<line>\r\n` response and URC output as a console reads it from a module.
    public static func moduleOutput() -> LineFramer { LineFramer(maximumLineLength: consoleResponseLineLimit) }

    /// `maximumLineLength` below 1 is taken as 1.
    public init(maximumLineLength: Int) {
        self.maximumLineLength = max(1, maximumLineLength)
    }

    /// Bytes of the line in progress that no terminator has closed yet (at most the limit).
    /// A console shows them as the half-typed echo of a command.
    public var pendingBytes: [UInt8] { buffer }

    /// True when bytes of an unfinished line are waiting for their terminator.
    public var hasPendingLine: Bool { byteCount > 0 }

    /// Feeds `bytes` and returns the lines they complete, in order.
    public mutating func append<S: Sequence>(_ bytes: S) -> [FramedLine] where S.Element == UInt8 {
        var lines: [FramedLine] = []
        for byte in bytes {
            if let line = append(byte) { lines.append(line) }
        }
        return lines
    }

    /// Feeds one byte; returns the line it completes, if any.
    public mutating func append(_ byte: UInt8) -> FramedLine? {
        if byte == 0x0D || byte == 0x0A {
            guard byteCount > 0 else { return nil }
            return finishLine(terminator: byte)
        }
        byteCount += 1
        if buffer.count < maximumLineLength { buffer.append(byte) }
        return nil
    }

    /// Drops the unfinished line (for example when the link closes or the module resets).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        byteCount = 0
    }

    private mutating func finishLine(terminator: UInt8) -> FramedLine {
        let raw = buffer
        let total = byteCount
        reset()
        if total > maximumLineLength {
            return FramedLine(raw: raw, terminator: terminator, content: .tooLong(byteCount: total))
        }
        if let nul = raw.firstIndex(of: 0) {
            return FramedLine(raw: raw, terminator: terminator, content: .invalid(.nulByte(offset: nul)))
        }
        guard let text = String(validating: raw, as: UTF8.self) else {
            return FramedLine(raw: raw, terminator: terminator,
                              content: .invalid(.notUTF8(offset: FramedLine.firstInvalidUTF8Offset(raw))))
        }
        return FramedLine(raw: raw, terminator: terminator, content: .text(text))
    }
}

/// One line cut by ``LineFramer``: what arrived, and what it reads as.
public struct FramedLine: Hashable, Sendable {
    /// Why a line could not be read as text.
    public enum InvalidReason: Hashable, Sendable, CustomStringConvertible {
        case nulByte(offset: Int)
        case notUTF8(offset: Int)

        public var description: String {
            switch self {
            case .nulByte(let offset): "NUL byte at offset \(offset)"
            case .notUTF8(let offset): "bytes that are not UTF-8 at offset \(offset)"
            }
        }
    }

    public enum Content: Hashable, Sendable {
        /// The line as text, without its terminator.
        case text(String)
        /// Longer than the framer's limit; `raw` holds only the first `maximumLineLength` bytes.
        case tooLong(byteCount: Int)
        /// Not readable as text; `raw` holds the bytes.
        case invalid(InvalidReason)
    }

    /// The bytes of the line without its terminator (truncated at the limit for `tooLong`).
    public let raw: [UInt8]
    /// The byte that ended the line: 0x0D (CR) or 0x0A (LF).
    public let terminator: UInt8
    public let content: Content

    public init(raw: [UInt8], terminator: UInt8, content: Content) {
        self.raw = raw
        self.terminator = terminator
        self.content = content
    }

    /// The text, when the line is valid.
    public var text: String? {
        if case .text(let text) = content { return text }
        return nil
    }

    /// What a module with echo on sends back for this line: the bytes and the terminator.
    public var echo: [UInt8] { raw + [terminator] }

    /// Offset of the first byte that breaks UTF-8 decoding (the count when none does).
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
