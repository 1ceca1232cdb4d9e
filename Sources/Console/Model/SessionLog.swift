/// The log's entries with a fixed cap: once `capacity` entries are held, each new one drops the
/// oldest, so memory stays flat however long the session runs.
///
/// Contract: `entries` are oldest first; `count <= capacity`; an entry's `sequence` keeps
/// counting across dropped entries, so a view can hold its place by sequence.
public struct SessionLog: Sendable {
    public let capacity: Int
    private var storage: [LogEntry] = []
    /// Index in `storage` of the oldest entry once the buffer has wrapped.
    private var head = 0
    /// Entries ever appended.
    public private(set) var appendedCount = 0

    /// `capacity` below 1 is taken as 1.
    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    /// Entries dropped by the cap.
    public var droppedCount: Int { appendedCount - storage.count }

    /// The `index`-th entry held, oldest first (0..<count).
    public subscript(index: Int) -> LogEntry {
        storage[(head + index) % storage.count]
    }

    public var entries: [LogEntry] { (0..<count).map { self[$0] } }

    public var last: LogEntry? { storage.isEmpty ? nil : self[count - 1] }

    public mutating func append(_ make: (_ sequence: Int) -> LogEntry) {
        let entry = make(appendedCount)
        appendedCount += 1
        if storage.count < capacity {
            storage.append(entry)
        } else {
            storage[head] = entry
            head = (head + 1) % capacity
        }
    }
}
