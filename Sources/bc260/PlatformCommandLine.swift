import ArgumentParser
import struct CoAP.PeerAddress

/// `bc260 platform`: the server side as a real LwM2M server with a line interface on stdin.
struct PlatformCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform",
        abstract: "Run an LwM2M server (and optionally a bootstrap server) driven from stdin.")

    @Option(help: "Address to listen on, host:port or [v6]:port.")
    var listen: String = "127.0.0.1:5683"

    @Flag(help: "Also act as a bootstrap server (POST /bs) that hands out this server.")
    var bootstrap = false

    func validate() throws {
        guard PeerAddress(parsing: listen) != nil else {
            throw ValidationError("--listen: '\(listen)' is not host:port")
        }
    }

    func run() throws {
        print("platform: not wired yet")
    }
}
