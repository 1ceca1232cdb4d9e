import ArgumentParser
import Foundation

/// Prints and flushes at once, so a pipe reader (a test, `tee`) sees each line as it happens.
func say(_ text: String) {
    print(text)
    fflush(nil)
}
import DTLS
import Platforms
import Runtime
import struct CoAP.PeerAddress
import struct CoAP.Datagram

/// `bc260 platform`: the server side as a real LwM2M server on UDP, driven by lines on stdin
/// (see `PlatformCommand.usage`). What the platform sees is printed as it happens.
struct PlatformCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform",
        abstract: "Run an LwM2M server (and optionally a bootstrap server) driven from stdin.",
        discussion: "Commands on stdin:\n" + PlatformCommand.usage)

    @Option(help: "Address to listen on: host:port, [v6]:port, or a host name.")
    var listen: String = "127.0.0.1:5683"

    @Option(help: "Behaviour: ct (China Telecom IoT), aep (China Telecom AEP), andlink (China Mobile Andlink, a bootstrap server), generic.")
    var profile: String = "generic"

    @Flag(help: "Also act as a bootstrap server (POST /bs) that hands out this server, binding U.")
    var bootstrap = false

    @Option(name: .customLong("psk"), help: ArgumentHelp(
        "Accept DTLS with this pre-shared key on the listen port + 1 (repeatable), as if provisioned on the platform's "
            + "portal; the key is the text after the last colon. Without any, no DTLS port is opened.",
        valueName: "IDENTITY:KEY"))
    var pskTexts: [String] = []

    func validate() throws {
        guard PeerAddress(parsing: listen) != nil else {
            throw ValidationError("--listen: '\(listen)' is not host:port")
        }
        guard PlatformProfile(name: profile) != nil else {
            throw ValidationError("--profile: '\(profile)' is not one of ct, aep, andlink, generic")
        }
        _ = try PreSharedKey.parsingOptions(pskTexts)
    }

    func run() throws {
        guard let requested = PeerAddress(parsing: listen), let profile = PlatformProfile(name: profile) else { return }
        let address: PeerAddress
        let socket: UDPSocket
        do {
            guard let resolved = try PeerAddress.resolve(requested.host, port: requested.port).first else {
                throw ValidationError("--listen: \(requested.host) resolves to nothing")
            }
            address = resolved
            socket = try UDPSocket(bindingTo: address)
        } catch let error as SocketError {
            throw ValidationError("cannot listen on \(listen): \(error)")
        }
        let keys = try PreSharedKey.parsingOptions(pskTexts)
        var secureSocket: UDPSocket?
        if !keys.isEmpty {
            let secureAddress = PeerAddress(host: address.host, port: address.port == 0 ? 0 : address.port &+ 1)
            do {
                secureSocket = try UDPSocket(bindingTo: secureAddress)
            } catch {
                throw ValidationError("cannot listen for DTLS on \(secureAddress): \(error)")
            }
        }
        let loop = EventLoop()
        let platform = EmbeddedPlatform(profile: profile, address: socket.localAddress, bootstrap: bootstrap,
                                        keys: keys, secureAddress: secureSocket?.localAddress)
        let host = UDPHost(node: platform, socket: socket, loop: loop)
        var printed: Int?
        host.afterStep = { node in
            for line in node.log.lines(after: printed) {
                say(line.description)
                printed = line.sequence
            }
            // Sealed answers leave from the DTLS port (taking them is one more step, which finds none).
            if node.hasSecureDatagrams, let secureSocket {
                for d in host.withNode({ node, _ in node.takeSecureDatagrams() }) {
                    do { try secureSocket.send(d) } catch { say("udp: \(error)") }
                }
            }
        }
        host.onError = { say("udp: \($0)") }
        let secureWatch = secureSocket.map { secure in
            loop.watch(secure.fileDescriptor) { _ in
                for _ in 0..<64 {
                    let received: Datagram?
                    do { received = try secure.receive() } catch { say("udp: \(error)"); break }
                    guard let datagram = received else { break }
                    host.perform { node, now in node.receiveSecure(datagram, now: now) }
                }
            }
        }

        let role = bootstrap || profile == .andlink ? " + bootstrap server" : ""
        say("\(profile.title)\(role) listening on \(socket.localAddress); type help")
        if let secureSocket {
            say("DTLS-PSK on \(secureSocket.localAddress) for \(keys.map { "\"\($0.identity)\"" }.joined(separator: ", "))")
        }
        let input = LineInput(fileDescriptor: STDIN_FILENO, loop: loop, onLine: { line in
            guard !line.allSatisfy(\.isWhitespace) else { return }
            let command: PlatformCommand
            do { command = try PlatformCommand(parsing: line) } catch {
                say("? \(error)")
                return
            }
            if command == .help { say(PlatformCommand.usage); return }
            var quit = false
            host.perform { node, now in
                let reply = node.perform(command, now: now)
                reply.lines.forEach { say($0) }
                quit = reply.quit
                return reply.datagrams
            }
            if quit { loop.stop() }
        }, onEnd: {
            // Interactive: Ctrl-D ends. Piped or detached: keep serving until a signal.
            if isatty(STDIN_FILENO) == 1 { loop.stop() }
        })
        let signals = try SignalWatch(signals: [SIGINT, SIGTERM], loop: loop) { _ in loop.stop() }
        try loop.run()
        input.cancel()
        signals.cancel()
        if let secureWatch { loop.unwatch(secureWatch) }
        secureSocket?.close()
        host.close()
    }
}
