import Glibc
import CoAP
@testable import Runtime
import TestSupport

/// Waits on `poll` (never a sleep) until `socket` has a datagram, at most `milliseconds`.
func waitReadable(_ socket: UDPSocket, milliseconds: Int32 = 2000) -> Bool {
    waitFor(socket.fileDescriptor, milliseconds: milliseconds)
}

/// Sends, waits, and receives one datagram, or nil after the bounded wait.
func receiveOne(_ socket: UDPSocket, milliseconds: Int32 = 2000) throws -> Datagram? {
    guard waitReadable(socket, milliseconds: milliseconds) else { return nil }
    return try socket.receive()
}

/// Whether this machine can bind the IPv6 loopback (containers often have IPv6 switched off).
let ipv6LoopbackAvailable: Bool = (try? UDPSocket(bindingTo: PeerAddress(host: "::1", port: 0))) != nil

/// Bytes 0, 1, 2, … wrapping at 251 (a prime, so a shifted or truncated copy never matches).
func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 251) } }
