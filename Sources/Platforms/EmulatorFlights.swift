import CoAP

/// Datagrams on their way between the emulated module and an embedded platform, each with the
/// instant it arrives. Contract: ``popFirst()`` gives the earliest arrival, and among equal
/// arrivals the one added first, so a latency of 0 keeps the order things were sent in.
struct EmulatorFlights: Sendable {
    enum Flight: Hashable, Sendable {
        /// From a platform; `peer` is the address the module sees it from.
        case toDevice(Datagram)
        /// From the module; `peer` is the address the module sent it to.
        case toPlatform(Datagram)
    }

    private var queue: [(at: Instant, flight: Flight)] = []

    var nextArrival: Instant? { queue.first?.at }

    var isEmpty: Bool { queue.isEmpty }

    mutating func add(_ flight: Flight, at: Instant) {
        // After every flight arriving at or before `at`: stable for equal instants.
        var low = 0, high = queue.count
        while low < high {
            let mid = (low + high) / 2
            if queue[mid].at <= at { low = mid + 1 } else { high = mid }
        }
        queue.insert((at, flight), at: low)
    }

    mutating func popFirst() -> Flight? {
        guard !queue.isEmpty else { return nil }
        return queue.removeFirst().flight
    }
}
