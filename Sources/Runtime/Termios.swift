#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The termios calls shared by `PseudoTerminal` and `SerialPort`: read, change and write a
/// terminal's attributes, with failures as `SerialPortError` naming the path.
enum Termios {
    static func attributes(of fd: Int32, path: String) throws(SerialPortError) -> termios {
        var attributes = termios()
        guard tcgetattr(fd, &attributes) == 0 else { throw SerialPortError.lastError("tcgetattr", path) }
        return attributes
    }

    static func apply(_ attributes: termios, to fd: Int32, path: String) throws(SerialPortError) {
        var attributes = attributes
        while tcsetattr(fd, TCSANOW, &attributes) != 0 {
            let code = currentErrno()
            if code == EINTR { continue }
            throw .system(call: "tcsetattr", path: path, errno: code)
        }
    }

    /// No line discipline at all: no echo, no canonical lines, no signals, no CR/LF
    /// translation either way, no XON/XOFF, 8 data bits; a read returns as soon as one byte is
    /// there.
    static func makeRaw(_ attributes: inout termios) {
        cfmakeraw(&attributes)
        setControlCharacter(&attributes, VMIN, 1)
        setControlCharacter(&attributes, VTIME, 0)
    }

    /// 8N1 at `baudRate`, receiver on, modem status lines ignored (CLOCAL, so the open and the
    /// reads never wait for carrier), RTS/CTS when asked for. Call after `makeRaw`.
    static func configureLine(_ attributes: inout termios, baudRate: SerialPort.BaudRate,
                              hardwareFlowControl: Bool) {
        attributes.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        attributes.c_cflag |= tcflag_t(CS8) | tcflag_t(CREAD) | tcflag_t(CLOCAL)
        if hardwareFlowControl { attributes.c_cflag |= tcflag_t(CRTSCTS) }
        cfsetispeed(&attributes, baudRate.speed)
        cfsetospeed(&attributes, baudRate.speed)
    }

    static func controlCharacter(_ attributes: termios, _ index: Int32) -> UInt8 {
        withUnsafeBytes(of: attributes.c_cc) { $0[Int(index)] }
    }

    // `c_cc` imports as a tuple: index it through its bytes.
    static func setControlCharacter(_ attributes: inout termios, _ index: Int32, _ value: UInt8) {
        withUnsafeMutableBytes(of: &attributes.c_cc) { $0[Int(index)] = value }
    }
}
