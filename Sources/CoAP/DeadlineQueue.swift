/// Timers kept as a binary min-heap of (deadline, insertion order, element). Equal deadlines come
/// out in the order they went in, so runs are repeatable. Cancelling is lazy: the owner checks a
/// popped element against its own state and ignores it when stale, and calls `compact` now and
/// then so stale entries cannot pile up.
public struct DeadlineQueue<Element: Sendable>: Sendable {
    public init() {}
    private struct Entry: Sendable {
        var deadline: Instant
        var order: UInt64
        var element: Element
    }

    private var heap: [Entry] = []
    private var nextOrder: UInt64 = 0

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    public var earliest: Instant? { heap.isEmpty ? nil : heap[0].deadline }  // no copy of the entry
    public var first: (deadline: Instant, element: Element)? { heap.first.map { ($0.deadline, $0.element) } }

    public mutating func push(_ element: Element, at deadline: Instant) {
        heap.append(Entry(deadline: deadline, order: nextOrder, element: element))
        nextOrder &+= 1
        siftUp(heap.count - 1)
    }

    /// Removes and returns the earliest element if its deadline is at or before `now`.
    public mutating func popDue(at now: Instant) -> (deadline: Instant, element: Element)? {
        guard let top = heap.first, top.deadline <= now else { return nil }
        removeFirst()
        return (top.deadline, top.element)
    }

    public mutating func removeFirst() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    /// Keeps only the entries `isLive` accepts, preserving their order.
    public mutating func compact(keeping isLive: (Instant, Element) -> Bool) {
        let kept = heap.filter { isLive($0.deadline, $0.element) }
        heap = []
        heap.reserveCapacity(kept.count)
        for e in kept {
            heap.append(e)
            siftUp(heap.count - 1)
        }
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].deadline < heap[b].deadline
            || (heap[a].deadline == heap[b].deadline && heap[a].order < heap[b].order)
    }

    private mutating func siftUp(_ index: Int) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        while true {
            let left = 2 * i + 1
            let right = left + 1
            var smallest = i
            if left < heap.count && less(left, smallest) { smallest = left }
            if right < heap.count && less(right, smallest) { smallest = right }
            guard smallest != i else { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
