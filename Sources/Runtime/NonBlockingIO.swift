#if canImport(Glibc)
import Glibc
#endif

/// One read or write on a non-blocking descriptor, with EINTR retried and EAGAIN meaning "not
/// now": the part the pty and the serial port share. Each maps the errno to its own error.
enum NonBlockingIO {
    enum ReadOutcome {
        case bytes([UInt8])
        case wouldBlock
        case endOfFile
        case failed(errno: Int32)
    }

    static func read(_ fd: Int32, maximumCount: Int) -> ReadOutcome {
        var buffer = [UInt8](repeating: 0, count: max(1, maximumCount))
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 { return .bytes(Array(buffer[0..<count])) }
            if count == 0 { return .endOfFile }
            let code = currentErrno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(errno: code)
        }
    }

    /// The count written (0 when the kernel takes nothing now), or the errno of a failure.
    static func write(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Result<Int, IOErrno> {
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return .success(count) }
            let code = currentErrno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .success(0) }
            return .failure(IOErrno(code: code))
        }
    }

    struct IOErrno: Error { var code: Int32 }
}
