import CoAP

/// Spreads a device's output over time as a module answers: each line (an echo, a response,
/// a URC) leaves `millisecondsPerLine` after the previous one, so `OK` comes a few
/// milliseconds after the command and a burst of lines trickles out.
///
/// Contract: bytes come out unchanged and in order; a line is never split. With 0 ms per line
/// everything is due at once. Pure: the owner asks what is ``due(at:)`` when ``nextDeadline``
/// comes.
public struct ResponsePacing: Hashable, Sendable {
    public let millisecondsPerLine: Int64
    private var queue: [Piece] = []
    private var lastDue = Instant(milliseconds: Int64.min / 2)

    private struct Piece: Hashable, Sendable {
        var at: Instant
        var bytes: [UInt8]
    }

    public init(millisecondsPerLine: Int64) {
        self.millisecondsPerLine = max(0, millisecondsPerLine)
    }

    /// Queues `bytes` produced at `now`.
    public mutating func schedule(_ bytes: [UInt8], now: Instant) {
        for piece in Self.lines(bytes) {
            let at = max(now, lastDue) + millisecondsPerLine
            lastDue = at
            queue.append(Piece(at: at, bytes: piece))
        }
    }

    /// The bytes due at `now`, in order.
    public mutating func due(at now: Instant) -> [UInt8] {
        var bytes: [UInt8] = []
        while let first = queue.first, first.at <= now {
            bytes += first.bytes
            queue.removeFirst()
        }
        return bytes
    }

    /// Everything still queued, at once (the link is closing).
    public mutating func flush() -> [UInt8] {
        defer { queue.removeAll() }
        return queue.flatMap(\.bytes)
    }

    public var nextDeadline: Instant? { queue.first?.at }
    public var isEmpty: Bool { queue.isEmpty }

    /// Cuts output into lines: each piece ends at the CR, LF or CR LF that closes a line.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var hasText = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            current.append(byte)
            index += 1
            guard byte == 0x0D || byte == 0x0A else { hasText = true; continue }
            guard hasText else { continue }
            if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A {
                current.append(0x0A)
                index += 1
            }
            pieces.append(current)
            current = []
            hasText = false
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
