#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads text lines from a descriptor (stdin, a pipe, a pty in canonical mode) inside an
/// `EventLoop` and hands each to `onLine` without its `\n` or `\r\n`.
///
/// Contract: lines split across reads are joined; several lines in one read come out one by
/// one, in order. Bytes that are not UTF-8 are repaired (U+FFFD), never a trap. At end of file
/// a last unterminated line is delivered, then `onEnd` runs once and the watch is dropped; a
/// line longer than `maximumLineLength` is delivered in pieces of that length. The descriptor
/// is not closed here: its owner closes it. The loop keeps this object alive while it watches.
public final class LineInput {
    public let fileDescriptor: Int32
    public var onLine: (String) -> Void
    public var onEnd: () -> Void
    public var maximumLineLength = 64 * 1024

    private let loop: EventLoop
    private var watchID: EventLoop.WatchID?
    private var pending: [UInt8] = []

    /// Starts watching `fileDescriptor` on `loop` at once.
    public init(fileDescriptor: Int32, loop: EventLoop,
                onLine: @escaping (String) -> Void, onEnd: @escaping () -> Void = {}) {
        self.fileDescriptor = fileDescriptor
        self.loop = loop
        self.onLine = onLine
        self.onEnd = onEnd
        watchID = loop.watch(fileDescriptor) { self.readAvailable($0) }
    }

    /// Stops watching without calling `onEnd`.
    public func cancel() {
        if let watchID { loop.unwatch(watchID) }
        watchID = nil
    }

    public var isWatching: Bool { watchID != nil }

    private func readAvailable(_ readiness: EventLoop.Readiness) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            pending += chunk[0..<count]
            deliverCompleteLines()
            return
        }
        if count < 0 {
            let code = currentErrno()
            if code == EINTR || code == EAGAIN || code == EWOULDBLOCK { return }
        }
        // End of file, a read error, or a descriptor that is gone: flush and finish.
        if !pending.isEmpty { emit(pending[...]); pending.removeAll() }
        cancel()
        onEnd()
    }

    private func deliverCompleteLines() {
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            emit(pending[start..<newline])
            start = newline + 1
            if watchID == nil { break }   // onLine cancelled us
        }
        pending.removeSubrange(..<start)
        // An unterminated line may not grow without bound.
        let limit = max(1, maximumLineLength)
        while pending.count >= limit, watchID != nil {
            emit(pending[..<limit])
            pending.removeSubrange(..<limit)
        }
    }

    private func emit(_ bytes: ArraySlice<UInt8>) {
        var line = bytes
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let limit = max(1, maximumLineLength)
        repeat {
            let piece = line.prefix(limit)
            line = line.dropFirst(piece.count)
            onLine(String(decoding: piece, as: UTF8.self))
        } while !line.isEmpty && watchID != nil
    }
}

@available(*, unavailable)
extension LineInput: Sendable {}
