#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystem

/// The memory one `recvmmsg` or `sendmmsg` call works in, kept by a `UDPSocket` between calls
/// so a batch allocates nothing but the datagrams it hands out.
///
/// Receiving: `capacity` slots of `slotSize` bytes (the largest UDP payload, so every datagram
/// arrives whole; pages a datagram never touches are never backed by memory), each with its
/// sender and length. Sending: the payloads end to end, and a destination and length each.
final class DatagramBatch {
    /// Datagrams per call. With a few dozen in flight this already spreads the cost of a
    /// system call thin; more slots would only reserve more address space.
    static let capacity = 16

    let slotSize: Int
    let slots: UnsafeMutableRawPointer
    var addresses = [sockaddr_storage](repeating: sockaddr_storage(), count: DatagramBatch.capacity)
    var addressLengths = [UInt32](repeating: 0, count: DatagramBatch.capacity)
    var lengths = [UInt](repeating: 0, count: DatagramBatch.capacity)
    /// Outgoing payloads laid end to end, in the order of `lengths`.
    var payload: [UInt8] = []

    init(slotSize: Int) {
        self.slotSize = slotSize
        slots = .allocate(byteCount: slotSize * Self.capacity, alignment: 16)
    }

    deinit { slots.deallocate() }

    /// One `recvmmsg` for up to `count` datagrams; the count that arrived, or -1 with errno set.
    func receive(on fd: Int32, count: Int) -> Int {
        let n = UInt32(min(count, Self.capacity))
        return addresses.withUnsafeMutableBytes { peers in
            addressLengths.withUnsafeMutableBufferPointer { peerLengths in
                lengths.withUnsafeMutableBufferPointer { sizes in
                    Int(bc260_receive_datagrams(fd, slots.assumingMemoryBound(to: UInt8.self), UInt(slotSize),
                                                peers.baseAddress, peerLengths.baseAddress, sizes.baseAddress, n))
                }
            }
        }
    }

    /// The bytes of received datagram `index`.
    func received(_ index: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: slots + index * slotSize, count: Int(lengths[index])))
    }

    /// One `sendmmsg` of the laid-out datagrams `from..<count`, whose payloads start at byte
    /// `offset`; how many went, or -1 with errno set when the first of them failed.
    func send(on fd: Int32, from first: Int, count: Int, offset: Int) -> Int {
        payload.withUnsafeBufferPointer { data in
            addresses.withUnsafeBytes { peers in
                addressLengths.withUnsafeBufferPointer { peerLengths in
                    lengths.withUnsafeBufferPointer { sizes in
                        Int(bc260_send_datagrams(fd, data.baseAddress.map { $0 + offset },
                                                 sizes.baseAddress! + first,
                                                 peers.baseAddress! + first * MemoryLayout<sockaddr_storage>.stride,
                                                 peerLengths.baseAddress! + first, UInt32(count - first)))
                    }
                }
            }
        }
    }
}

@available(*, unavailable)
extension DatagramBatch: Sendable {}
