import CoAP
import Foundation
import LwM2M
import Runtime
import Testing
import TestSupport

/// What every interop test needs: peers that must be installed, loopback ports, scratch files.
enum Interop {
    static let loopback = "127.0.0.1"

    /// Fails the test (never skips) when a peer tool is missing: `make test` installs them.
    static func requirePeer(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(ChildProcess.exists(name), "\(name) is not on PATH; `make test` installs it",
                     sourceLocation: sourceLocation)
    }

    /// A loopback UDP port that was free a moment ago (never 5683).
    static func freePort() throws -> UInt16 {
        let socket = try UDPSocket(bindingTo: PeerAddress(host: loopback, port: 0))
        defer { socket.close() }
        return socket.localAddress.port
    }

    /// Waits (bounded) until something has bound `port` on loopback: a peer that is listening
    /// makes our own bind fail. Saves a first request from meeting ICMP port-unreachable.
    @discardableResult
    static func waitUntilBound(_ port: UInt16, seconds: Double = 3) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let probe = try? UDPSocket(bindingTo: PeerAddress(host: loopback, port: port)) else { return true }
            probe.close()
            usleep(10_000)
        }
        return false
    }

    /// A fresh path in the temporary directory; the caller removes it.
    static func scratchFile(_ stem: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bc260-\(stem)-\(UUID().uuidString)")
    }

    /// The emulated module's object tree (objects 0, 1, 3, 4, 5) with a known current time.
    static func moduleObjects(currentTime: Int64 = 1_700_000_000) -> ObjectTree {
        var profile = ModuleProfile(imei: "863663040000001")
        profile.currentTime = currentTime
        return ObjectTree(profile: profile)
    }
}

/// One `DatagramNode` on a real loopback socket in an event loop of its own, pumped by the test
/// while a peer process runs.
final class NodeOnUDP<Node: DatagramNode> {
    let loop = EventLoop()
    let host: UDPHost<Node>
    private(set) var socketErrors: [SocketError] = []

    init(_ node: Node) throws {
        let socket = try UDPSocket(bindingTo: PeerAddress(host: Interop.loopback, port: 0))
        host = UDPHost(node: node, socket: socket, loop: loop)
        host.onError = { [unowned self] in self.socketErrors.append($0) }
    }

    var address: PeerAddress { host.socket.localAddress }

    /// One short pass of the loop (at most 5 ms of waiting).
    func pump() { _ = try? loop.runOnce(maximumWait: 5) }

    /// Pumps until `condition` holds or `seconds` pass; returns whether it held.
    @discardableResult
    func pump(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            pump()
        }
        return condition()
    }

    func close() { host.close() }
}

extension NodeOnUDP where Node == LwM2MClientNode {
    /// The client's events since the last call.
    func takeEvents() -> [ClientEvent] { host.withNode { node, _ in node.takeEvents() } }

    /// Runs an owner command on the client machine at the loop's time and sends what it makes.
    func command(_ body: @escaping (inout LwM2MClient, Instant) -> [LwM2MClient.Action]) {
        host.perform { node, now in node.command(now: now) { body(&$0, now) } }
    }

    /// Sets the Device object's current time (/3/0/13), as the module's clock would.
    func setCurrentTime(_ seconds: Int64) {
        command { client, now in
            client.modifyObjects(now: now) { try? $0.setValue(.time(seconds), at: LwM2MPath(3, 0, 13)) }
        }
    }
}

extension ChildProcess {
    /// A third-party peer (libcoap's binaries, the aiocoap script), looked up on PATH, its
    /// stderr joined to stdout.
    static func peer(_ executable: String, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(executable: executable, arguments, mergingErrors: true)
    }

    /// The Python peers shipped beside these tests.
    static let peersDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("peers")

    /// Runs a peer to its end while `pump` drives our side; a peer still running after
    /// `seconds` is stopped and the test fails.
    static func runToEnd(_ executable: String, _ arguments: [String], seconds: Double = 6,
                         sourceLocation: SourceLocation = #_sourceLocation,
                         pump: () -> Void) throws -> ChildProcess {
        let peer = try ChildProcess.peer(executable, arguments)
        let ended = peer.waitForExit(seconds: seconds, pump: pump) != nil
        if !ended { peer.stop() }
        #expect(ended, "\(executable) still running after \(seconds) s:\n\(peer.outputText)", sourceLocation: sourceLocation)
        // The pipe may still hold its last lines: give the reader a moment.
        peer.waitFor(seconds: 0.2) { _ in false }
        return peer
    }
}
