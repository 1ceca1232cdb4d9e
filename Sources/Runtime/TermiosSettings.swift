#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a terminal's termios attributes say, in words: line speed, framing, flow control and
/// whether any line discipline still touches the bytes. Read back with
/// `TermiosSettings(fileDescriptor:path:)` after a change to see what the driver really took.
public struct TermiosSettings: Hashable, Sendable, CustomStringConvertible {
    public enum Parity: Hashable, Sendable { case none, even, odd }

    /// Nil when the speed code is not in `SerialPort.BaudRate.supported`.
    public var inputBaudRate: SerialPort.BaudRate?
    public var outputBaudRate: SerialPort.BaudRate?
    /// Data bits per character, 5 to 8.
    public var characterSize: Int
    public var parity: Parity
    public var stopBits: Int
    /// RTS/CTS (`CRTSCTS`).
    public var hardwareFlowControl: Bool
    /// XON/XOFF in either direction (`IXON`, `IXOFF`).
    public var softwareFlowControl: Bool
    /// Modem status lines ignored (`CLOCAL`).
    public var ignoresModemLines: Bool
    public var receiverEnabled: Bool
    public var echo: Bool
    /// Line-at-a-time input (`ICANON`).
    public var canonical: Bool
    /// Ctrl-C, Ctrl-Z and friends raise signals (`ISIG`).
    public var signals: Bool
    /// Output post-processing such as LF → CR LF (`OPOST`).
    public var outputProcessing: Bool
    /// Input CR/LF rewriting (`ICRNL`, `INLCR`, `IGNCR`).
    public var translatesLineEnds: Bool
    /// Input bytes stripped to 7 bits (`ISTRIP`).
    public var stripsHighBit: Bool
    /// `VMIN` and `VTIME`.
    public var minimumRead: UInt8
    public var readTimeout: UInt8

    public init(_ attributes: termios) {
        let c = attributes.c_cflag, i = attributes.c_iflag, l = attributes.c_lflag
        func has(_ flags: tcflag_t, _ flag: Int32) -> Bool { flags & tcflag_t(flag) != 0 }
        var speed = attributes
        inputBaudRate = SerialPort.BaudRate(speed: cfgetispeed(&speed))
        outputBaudRate = SerialPort.BaudRate(speed: cfgetospeed(&speed))
        switch c & tcflag_t(CSIZE) {
        case tcflag_t(CS5): characterSize = 5
        case tcflag_t(CS6): characterSize = 6
        case tcflag_t(CS7): characterSize = 7
        default: characterSize = 8
        }
        parity = !has(c, PARENB) ? .none : has(c, PARODD) ? .odd : .even
        stopBits = has(c, CSTOPB) ? 2 : 1
        hardwareFlowControl = c & tcflag_t(CRTSCTS) != 0
        softwareFlowControl = has(i, IXON) || has(i, IXOFF)
        ignoresModemLines = has(c, CLOCAL)
        receiverEnabled = has(c, CREAD)
        echo = has(l, ECHO)
        canonical = has(l, ICANON)
        signals = has(l, ISIG)
        outputProcessing = has(attributes.c_oflag, OPOST)
        translatesLineEnds = has(i, ICRNL) || has(i, INLCR) || has(i, IGNCR)
        stripsHighBit = has(i, ISTRIP)
        minimumRead = Termios.controlCharacter(attributes, VMIN)
        readTimeout = Termios.controlCharacter(attributes, VTIME)
    }

    /// Reads the attributes of an open terminal.
    public init(fileDescriptor: Int32, path: String) throws(SerialPortError) {
        self.init(try Termios.attributes(of: fileDescriptor, path: path))
    }

    /// Bytes pass unchanged both ways: 8 bits, no echo, no canonical lines, no signals, no
    /// translation, no XON/XOFF.
    public var isRaw: Bool {
        characterSize == 8 && parity == .none && !echo && !canonical && !signals
            && !outputProcessing && !translatesLineEnds && !stripsHighBit && !softwareFlowControl
    }

    public var description: String {
        let rate = outputBaudRate.map(String.init(describing:)) ?? "?"
        let parityLetter = parity == .none ? "N" : parity == .even ? "E" : "O"
        var text = "\(rate) \(characterSize)\(parityLetter)\(stopBits)"
        if hardwareFlowControl { text += " rtscts" }
        if softwareFlowControl { text += " xonxoff" }
        text += isRaw ? " raw" : " cooked"
        return text
    }
}
