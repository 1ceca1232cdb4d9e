#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystem

/// A pseudo-terminal whose slave side (`/dev/pts/N`, optionally reached through a symlink) is
/// the emulated module's serial port for other programs: minicom, pyserial, a test.
///
/// Contract:
/// - The master is non-blocking: `read` returns nil when nothing is waiting, `write` returns
///   how many bytes the kernel took (0 when its queue is full). Neither traps nor blocks.
/// - The slave starts in raw mode (no echo, no CR/LF translation, no signals, 8 bits), so bytes
///   pass unchanged both ways. A client may set its own termios on the slave; those settings
///   stay until the next client changes them (`restoreRawMode()` puts ours back).
/// - Clients may come and go: the terminal keeps its own descriptor on the slave open, so the
///   master never sees a hangup (no EIO, no POLLHUP busy loop) when no client is attached.
///   The price: bytes written while nobody reads wait in the kernel (`unreadOutputCount`)
///   and reach the next client unless `discardUnreadOutput()` drops them.
/// - With a `linkPath`, a symlink there points at the slave; a stale symlink is replaced, a
///   file that is not a symlink is refused. `close()` removes the link if it still points at
///   this slave (another instance may have taken it over since).
/// Not `Sendable`: it belongs to the thread of its event loop.
public final class PseudoTerminal {
    /// The master descriptor, for `EventLoop.watch`; -1 once closed.
    public private(set) var fileDescriptor: Int32
    /// The slave device, `/dev/pts/N`.
    public let slavePath: String
    /// The symlink made at open, if any.
    public let linkPath: String?
    /// Our own descriptor on the slave, held so that the master never hangs up.
    private var slaveHolder: Int32
    private var watch: (loop: EventLoop, id: EventLoop.WatchID)?

    /// Opens a master, puts the slave in raw mode, and makes the symlink if asked.
    public init(linkPath: String? = nil) throws(SerialPortError) {
        let master = bc260_open_pty_master()
        guard master >= 0 else { throw SerialPortError.lastError("posix_openpt", "/dev/ptmx") }
        var name = [CChar](repeating: 0, count: 128)
        let nameError = bc260_pty_slave_name(master, &name, UInt(name.count))
        guard nameError == 0 else {
            Glibc.close(master)
            throw .system(call: "ptsname_r", path: "/dev/ptmx", errno: nameError)
        }
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let holder = Glibc.open(slave, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard holder >= 0 else {
            let error = SerialPortError.lastError("open", slave)
            Glibc.close(master)
            throw error
        }
        do throws(SerialPortError) {
            guard fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK) == 0 else {
                throw SerialPortError.lastError("fcntl(O_NONBLOCK)", "\(slave) master")
            }
            var attributes = try Termios.attributes(of: holder, path: slave)
            Termios.makeRaw(&attributes)
            try Termios.apply(attributes, to: holder, path: slave)
            if let linkPath { try PseudoTerminal.installLink(at: linkPath, pointingTo: slave) }
        } catch {
            Glibc.close(holder)
            Glibc.close(master)
            throw error
        }
        fileDescriptor = master
        slaveHolder = holder
        slavePath = slave
        self.linkPath = linkPath
    }

    deinit { close() }

    public var isClosed: Bool { fileDescriptor < 0 }

    /// Stops any watch, removes the symlink (if still ours), closes both descriptors. Safe to
    /// call twice.
    public func close() {
        guard fileDescriptor >= 0 else { return }
        if let watch { watch.loop.unwatch(watch.id) }
        watch = nil
        if let linkPath, PseudoTerminal.linkTarget(linkPath) == slavePath { unlink(linkPath) }
        Glibc.close(fileDescriptor)
        Glibc.close(slaveHolder)
        fileDescriptor = -1
        slaveHolder = -1
    }

    // MARK: Bytes

    /// Up to `maximumCount` bytes the client wrote, or nil when none are waiting.
    public func read(maximumCount: Int = 4096) throws(SerialPortError) -> [UInt8]? {
        guard fileDescriptor >= 0 else { throw .closed(path: slavePath) }
        switch NonBlockingIO.read(fileDescriptor, maximumCount: maximumCount) {
        case .bytes(let bytes): return bytes
        case .wouldBlock: return nil
        // With our slave descriptor held open, EIO (no slave) cannot happen; report it.
        case .endOfFile: throw .system(call: "read", path: "\(slavePath) master", errno: EIO)
        case .failed(let code): throw .system(call: "read", path: "\(slavePath) master", errno: code)
        }
    }

    /// Writes what the kernel takes now and returns that count (0 when its queue is full
    /// because nobody reads the slave). The rest is the caller's to retry or drop.
    @discardableResult
    public func write(_ bytes: [UInt8]) throws(SerialPortError) -> Int {
        guard fileDescriptor >= 0 else { throw .closed(path: slavePath) }
        guard !bytes.isEmpty else { return 0 }
        switch NonBlockingIO.write(fileDescriptor, bytes[...]) {
        case .success(let count): return count
        case .failure(let error): throw .system(call: "write", path: "\(slavePath) master", errno: error.code)
        }
    }

    /// Calls `onBytes` from `loop` with whatever clients write, drained on each wakeup;
    /// `onFailure` gets a read failure (the watch stays). Replaces an earlier watch;
    /// `close()` ends it.
    public func watch(on loop: EventLoop, onBytes: @escaping ([UInt8]) -> Void,
                      onFailure: @escaping (SerialPortError) -> Void = { _ in }) {
        guard fileDescriptor >= 0 else { return }
        if let watch { watch.loop.unwatch(watch.id) }
        let id = loop.watch(fileDescriptor) { [unowned self] _ in
            do throws(SerialPortError) {
                while let bytes = try self.read() { onBytes(bytes) }
            } catch {
                onFailure(error)
            }
        }
        watch = (loop, id)
    }

    // MARK: Slave side

    /// Bytes written to the master that no client has read yet. The kernel moves written bytes
    /// to the slave's queue shortly after `write` returns, so this may lag a moment behind.
    public var unreadOutputCount: Int {
        guard slaveHolder >= 0 else { return 0 }
        return max(0, Int(bc260_input_queue_count(slaveHolder)))
    }

    /// Drops bytes written to the master that no client has read, so that a client attaching
    /// later does not see stale output.
    public func discardUnreadOutput() {
        guard slaveHolder >= 0 else { return }
        tcflush(slaveHolder, TCIFLUSH)
    }

    /// The slave's termios as it stands (a client may have changed it).
    public func slaveSettings() throws(SerialPortError) -> TermiosSettings {
        guard slaveHolder >= 0 else { throw .closed(path: slavePath) }
        return try TermiosSettings(fileDescriptor: slaveHolder, path: slavePath)
    }

    /// Puts the slave back in raw mode after a client changed it.
    public func restoreRawMode() throws(SerialPortError) {
        guard slaveHolder >= 0 else { throw .closed(path: slavePath) }
        var attributes = try Termios.attributes(of: slaveHolder, path: slavePath)
        Termios.makeRaw(&attributes)
        try Termios.apply(attributes, to: slaveHolder, path: slavePath)
    }
}

@available(*, unavailable)
extension PseudoTerminal: Sendable {}
