#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PseudoTerminal {
    /// Points a symlink at `target`, replacing an existing symlink in one step (a new link
    /// beside it renamed over it, so a client never finds the name missing). Refuses to touch
    /// anything at `link` that is not a symlink.
    static func installLink(at link: String, pointingTo target: String) throws(SerialPortError) {
        var info = stat()
        if lstat(link, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFLNK else { throw .linkPathOccupied(path: link) }
        } else if currentErrno() != ENOENT {
            throw SerialPortError.lastError("lstat", link)
        }
        let temporary = "\(link).\(getpid()).\(temporaryCounter.next()).tmp"
        guard symlink(target, temporary) == 0 else { throw SerialPortError.lastError("symlink", temporary) }
        guard rename(temporary, link) == 0 else {
            let error = SerialPortError.lastError("rename", link)
            unlink(temporary)
            throw error
        }
    }

    /// Where the symlink at `link` points, nil when it is not a readable symlink.
    static func linkTarget(_ link: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Distinguishes temporary link names made by several terminals in one process.
private let temporaryCounter = LinkCounter()

private final class LinkCounter: @unchecked Sendable {
    // Guarded by the lock: terminals may be opened on different threads.
    private var value = 0
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    func next() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value
    }
}
