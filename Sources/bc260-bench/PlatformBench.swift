import CoAP
import Foundation
import LwM2M
import Runtime

/// Our LwM2M server on a real UDP socket, in a thread of its own with its own poll loop, so a
/// load generator in the main thread can measure it over loopback.
final class ServerThread: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private(set) var address = PeerAddress(host: "127.0.0.1", port: 0)
    private var stopRequested = false
    private let lock = NSLock()

    func start() {
        let thread = Thread { [self] in
            do {
                let loop = EventLoop()
                let socket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
                let host = UDPHost(node: LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 1)),
                                   socket: socket, loop: loop)
                address = socket.localAddress
                ready.signal()
                // The events are not needed here, but an owner takes them (as the platform's log
                // does): left in the node they would pile up for the whole run.
                _ = try loop.run(until: {
                    _ = host.withNode { node, _ in node.takeEvents() }
                    return self.lock.withLock { self.stopRequested }
                }, timeout: 600_000)
                host.close()
            } catch {
                print("server thread: \(error)")
                ready.signal()
            }
        }
        thread.start()
        ready.wait()
    }

    func stop() { lock.withLock { stopRequested = true } }
}

/// Register, then 10,000 NON notifications, then de-register, client and server over loopback
/// UDP in one poll loop. Returns notifications received per second by the server.
enum NotificationBench {
    static func run(count: Int = 10_000) throws -> Double {
        let loop = EventLoop()
        let serverSocket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let clientSocket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        var profile = ModuleProfile(imei: "867724030023557")
        profile.lifetime = 300
        var objects = ObjectTree(profile: profile)
        objects.define(.binaryAppDataContainer)
        try objects.setInstance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([0])])]), of: 19)
        var configuration = ClientConfiguration(endpoint: "867724030023557", server: serverSocket.localAddress)
        configuration.confirmableNotifications = false
        let server = UDPHost(node: LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 2)),
                             socket: serverSocket, loop: loop)
        let client = UDPHost(node: LwM2MClientNode(machine: LwM2MClient(configuration: configuration, objects: objects),
                                                   endpoint: CoAPEndpoint(seed: 3)),
                             socket: clientSocket, loop: loop)
        var registered = false, deregistered = false, observing = false
        var received = 0
        server.afterStep = { _ in }
        client.perform { node, now in node.command(now: now) { $0.start(now: now) } }
        func pumpEvents() {
            for e in client.withNode({ node, _ in node.takeEvents() }) {
                if case .registered = e { registered = true }
                if e == .deregistered { deregistered = true }
            }
            for e in server.withNode({ node, _ in node.takeEvents() }) {
                if case .operation(.notification) = e { received += 1 }
                if case .operation(.completed) = e { observing = true }
            }
        }
        _ = try loop.run(until: { pumpEvents(); return registered }, timeout: 5_000)
        let path = LwM2MPath(19, 0, 0)
        server.perform { node, now in node.command(now: now) { $0.perform(.observe(path), on: "867724030023557", now: now) }.1 }
        _ = try loop.run(until: { pumpEvents(); return observing }, timeout: 5_000)

        let start = Measure.now()
        var sent = 0
        while sent < count {
            // Keep a bounded number in flight so the socket buffers never overflow.
            let batch = min(64, count - sent)
            for k in 0..<batch {
                let value = UInt8(truncatingIfNeeded: sent + k)
                client.perform { node, now in
                    node.command(now: now) { c in
                        _ = c.modifyObjects(now: now) { try? $0.setValue(.opaque([value, 1, 2, 3]), at: LwM2MPath(19, 0, 0, 0)) }
                        return c.notifyNow(path, now: now)
                    }
                }
            }
            sent += batch
            _ = try loop.run(until: { pumpEvents(); return received >= sent - 8 }, timeout: 200)
        }
        _ = try loop.run(until: { pumpEvents(); return received >= count }, timeout: 1_000)
        let elapsed = Measure.now() - start
        client.perform { node, now in node.command(now: now) { $0.deregister(now: now) } }
        _ = try loop.run(until: { pumpEvents(); return deregistered }, timeout: 5_000)
        if received < count { print("  (\(count - received) notifications lost on loopback)") }
        return Double(received) / elapsed
    }
}
