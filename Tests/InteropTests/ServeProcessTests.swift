import CoAP
import Foundation
import Glibc
import LwM2M
import Runtime
import Testing
import TestSupport

/// `bc260 serve` and `bc260 run` as real child processes: the built `bc260` executable (the
/// Makefile's `swift build --build-tests` builds it beside the test bundle), driven through
/// pipes, a pseudo-terminal opened with our own `SerialPort`, and pyserial, and talking to a
/// real LwM2M server over UDP.
@Suite("bc260 serve and run as processes", .serialized)
struct ServeProcessTests {
    @Test func stdioAnswersTheBasicsAndEndsAtEndOfInput() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        #expect(serve.readLines(count: 3) == ["RDY", "+CFUN: 1", "+CPIN: READY"], "the banner first: \(serve.errorText)")
        serve.send("AT\r")
        #expect(serve.readLines(count: 2) == ["AT", "OK"], "echo, then OK")
        serve.send("ATE0\r")
        #expect(serve.readLines(count: 2) == ["ATE0", "OK"])
        serve.send("ATI\r")
        #expect(serve.readLines(count: 4) == ["Quectel", "BC260Y-CN", "Revision: BC260YCNAAR01A02", "OK"])
        serve.send("AT+QLASTATUS?\n")   // a lone LF ends a line too
        #expect(serve.readLines(count: 2) == ["+QLASTATUS: 0", "OK"])
        serve.send("AT+QLACFG?\r\n")
        #expect(serve.readLines(count: 7) == [
            #"+QLACFG: "retransmit",2,5"#, #"+QLACFG: "auto_ack",0"#, #"+QLACFG: "platform",0"#,
            #"+QLACFG: "lifetime_enable",1"#, #"+QLACFG: "dtls_mode",0"#, #"+QLACFG: "dtls_version",2"#, "OK",
        ])
        serve.send("AT+NOPE\r")
        #expect(serve.readLines(count: 1) == ["ERROR"])
        serve.closeInput()
        #expect(ChildProcess.exitedCleanly(serve.waitForExit()), "end of input ends serve: \(serve.errorText)")
    }

    @Test func aServerNameThatDoesNotResolveIsSaidOnStderrWithoutVerbose() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        _ = serve.readLines(count: 3)
        serve.send("ATE0\r")
        _ = serve.readLines(count: 2)
        // A detail stays behind --verbose: why a line was answered ERROR.
        serve.send("AT+QLAREG\r")
        #expect(serve.readLines(count: 1) == ["ERROR"])
        // The shortest schedule (one 2 s wait) and a name that never resolves (RFC 6761 .invalid).
        serve.send(#"AT+QLACFG="retransmit",2,0"# + "\r" + #"AT+QLACONFIG=0,"nowhere.invalid",5683,"867724030023557",300,3"# + "\r")
        #expect(serve.readLines(count: 2) == ["OK", "OK"])
        serve.send("AT+QLAREG\r")
        #expect(serve.readLines(count: 2, seconds: 10) == ["OK", "+QLAREG: 1"], "\(serve.errorText)")
        // The module can only say 1 (timeout); why is on stderr, and never in the AT stream.
        #expect(serve.errorText.contains("nowhere.invalid:5683 is dropped"), "\(serve.errorText)")
        #expect(!serve.errorText.contains("AT+QLAREG"), "no detail without --verbose: \(serve.errorText)")
        #expect(!serve.outputText.contains("dropped"))
        serve.closeInput()
        #expect(ChildProcess.exitedCleanly(serve.waitForExit()), "\(serve.errorText)")

        // With --verbose the details come too.
        let verbose = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path, "--verbose"])
        _ = verbose.readLines(count: 3)
        verbose.send("ATE0\rAT+QLADEREG\r")
        #expect(verbose.readLines(count: 3) == ["ATE0", "OK", "ERROR"])
        #expect(verbose.waitFor(seconds: 5) { _ in verbose.errorText.contains("AT+QLADEREG") }, "\(verbose.errorText)")
        verbose.closeInput()
        #expect(ChildProcess.exitedCleanly(verbose.waitForExit()), "\(verbose.errorText)")
    }

    @Test func identityFlags() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path,
                                      "--imei", "866971030603068", "--imsi", "460111174747875"])
        _ = serve.readLines(count: 3)
        serve.send("ATE0\rAT+CGSN=1\rAT+CIMI\r")
        #expect(serve.readLines(count: 6) == ["ATE0", "OK", "+CGSN: 866971030603068", "OK", "460111174747875", "OK"])
        serve.closeInput()
        #expect(ChildProcess.exitedCleanly(serve.waitForExit()))
        let refused = try ChildProcess(["serve", "--stdio", "--imei", "12345"])
        #expect(!ChildProcess.exitedCleanly(refused.waitForExit()))
        #expect(refused.errorText.contains("--imei"))
    }

    @Test func sigtermSavesAndTheNextServeHasTheConfiguration() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let first = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        _ = first.readLines(count: 3)
        first.send("ATE0\r")
        _ = first.readLines(count: 2)
        first.send(#"AT+QLACONFIG=0,"10.9.9.9",5683,"866971031275899",30,3"# + "\r")
        first.send(#"AT+QLACFG="platform",1"# + "\r" + "AT+QLAADDOBJ=19,0,1,0\r")
        #expect(first.readLines(count: 3) == ["OK", "OK", "OK"])
        #expect(ChildProcess.exitedCleanly(first.terminate(SIGTERM)), "SIGTERM ends serve cleanly: \(first.errorText)")

        let second = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        _ = second.readLines(count: 3)
        second.send("ATE0\rAT+QLACONFIG?\r" + #"AT+QLACFG="platform""# + "\r")
        #expect(second.readLines(count: 6) == [
            "ATE0", "OK", #"+QLACONFIG: 0,"10.9.9.9",5683,"866971031275899",30,3,0"#, "OK", #"+QLACFG: "platform",1"#, "OK",
        ])
        #expect(ChildProcess.exitedCleanly(second.terminate(SIGINT)), "SIGINT too")
    }

    @Test func killedWhileSavingTheStateStaysWhole() throws {
        // A burst of AT+QLACFG sets, each saving the state, cut by SIGKILL at a different point
        // each round. Every set whose OK came out was saved before it (the state is written and
        // flushed before the bytes leave); the file is never torn.
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let values = (0..<60).map { (2 + $0 % 19, ($0 / 19) % 9) }
        for (round, cut) in [3, 17, 1, 42, 29].enumerated() {
            let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
            _ = serve.readLines(count: 3)
            serve.send("ATE0\r")
            _ = serve.readLines(count: 2)
            serve.send(values.map { #"AT+QLACFG="retransmit",\#($0.0),\#($0.1)"# + "\r" }.joined())
            let seen = serve.readLines(count: cut).count
            serve.kill(SIGKILL)
            _ = serve.waitForExit()

            let next = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
            _ = next.readLines(count: 3)
            next.send("ATE0\r" + #"AT+QLACFG="retransmit""# + "\r")
            let lines = next.readLines(count: 4)
            next.closeInput()
            _ = next.waitForExit()
            #expect(!next.errorText.contains("not valid"), "round \(round): \(next.errorText)")
            let answer = lines.count > 2 ? lines[2] : ""
            let index = values.firstIndex { #"+QLACFG: "retransmit",\#($0.0),\#($0.1)"# == answer }
            #expect(index != nil, "round \(round): \(lines)")
            #expect((index ?? -1) >= seen - 1, "round \(round): saw \(seen) OKs, the file holds set #\(index ?? -1)")
        }
    }

    @Test func ptyServesOurSerialPortAndRemovesItsLink() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let link = directory.path + "/bc260"
        let serve = try ChildProcess(["serve", "--pty", "--link", link, "--latency", "0", "--state", directory.path])
        let path = try #require(serve.readLines(count: 1).first, "the pty path: \(serve.errorText)")
        #expect(path.hasPrefix("/dev/pts/"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == path)

        let port = try SerialPort(path: link)
        var reader = PortReader(port: port)
        #expect(reader.readLines(count: 3) == ["RDY", "+CFUN: 1", "+CPIN: READY"], "the banner waited for the first client")
        _ = try port.write(Array("AT+CGSN=1\r".utf8))
        #expect(reader.readLines(count: 3) == ["AT+CGSN=1", "+CGSN: 867724030023557", "OK"])
        port.close()
        #expect(ChildProcess.exitedCleanly(serve.terminate(SIGTERM)), "\(serve.errorText)")
        #expect(!FileManager.default.fileExists(atPath: link), "the link goes with the terminal")
    }

    @Test(.enabled(if: pyserialAvailable, "pyserial is not installed (python3 -c 'import serial' fails)"))
    func ptyServesPyserial() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let link = directory.path + "/bc260"
        let serve = try ChildProcess(["serve", "--pty", "--link", link, "--latency", "2", "--state", directory.path])
        _ = serve.readLines(count: 1)
        let client = try ChildProcess(executable: "python3", ["-c", Self.pyserialClient, link])
        let status = client.waitForExit(seconds: 15)
        #expect(ChildProcess.exitedCleanly(status), "pyserial client: \(client.outputText) \(client.errorText)")
        let lines = client.outputText.split(separator: "\n").map(String.init)
        #expect(lines == ["ATE0", "OK", "Quectel", "BC260Y-CN", "Revision: BC260YCNAAR01A02", "OK", "+QLASTATUS: 0", "OK"])
        #expect(ChildProcess.exitedCleanly(serve.terminate(SIGTERM)))
    }

    @Test func runPlaysAScriptThroughTheServedPty() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let link = directory.path + "/bc260"
        let serve = try ChildProcess(["serve", "--pty", "--link", link, "--latency", "1", "--state", directory.path])
        _ = serve.readLines(count: 1)
        let script = directory.path + "/basics.at"
        try """
        ? RDY
        AT+CGSN=1
        +CGSN: {imei}
        OK
        AT+QLACONFIG=0,"127.0.0.1",5683,"{imei}",300,3
        OK
        AT+QLACONFIG?
        +QLACONFIG: 0,"127.0.0.1",5683,"{=imei}",300,3,0
        OK
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try ChildProcess(["run", "--port", link, script])
        #expect(ChildProcess.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        #expect(run.outputText.contains("> AT+QLACONFIG=0,\"127.0.0.1\",5683,\"867724030023557\",300,3"))
        #expect(run.outputText.contains("PASS basics.at: 5 expected lines held"))

        let failing = directory.path + "/failing.at"
        try "AT\nOK\nAT+QLASTATUS?\ntimeout 300ms\n+QLASTATUS: 2\nOK\n".write(toFile: failing, atomically: true, encoding: .utf8)
        let failed = try ChildProcess(["run", "--port", link, failing])
        #expect(ChildProcess.exitCode(failed.waitForExit(seconds: 15)) == 1)
        #expect(failed.outputText.contains("FAIL failing.at:5: `+QLASTATUS: 2` did not arrive within 300ms (meanwhile: `+QLASTATUS: 0`, `OK`)"), "\(failed.outputText)")
        #expect(ChildProcess.exitedCleanly(serve.terminate(SIGTERM)))
    }

    @Test func runAgainstTheEmulatorInVirtualTime() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let script = directory.path + "/register.at"
        // No platform at 192.0.2.1: the registration times out at 126 s (2 s, 5 retransmissions),
        // in virtual time.
        try "AT+QLACONFIG=0,\"192.0.2.1\",5683,\"ep\",300,3\nOK\nAT+QLAREG\nOK\nwait 3m for +QLAREG: 1\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        let started = Date()
        let run = try ChildProcess(["run", "--latency", "0", script])
        #expect(ChildProcess.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        #expect(Date().timeIntervalSince(started) < 10, "virtual time: far less than the 126 s it stands for")
        #expect(run.outputText.contains("[ 126.000] < +QLAREG: 1"), "\(run.outputText)")

        let broken = directory.path + "/broken.at"
        try "AT\nOK\nwait 5 for OK\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try ChildProcess(["run", broken])
        #expect(ChildProcess.exitCode(refused.waitForExit(seconds: 15)) == 2)
        #expect(refused.errorText.contains("broken.at:3: `wait` needs a duration"), "\(refused.errorText)")
    }

    @Test func runRemapsAnAddressOntoAnEmbeddedPlatformAndKeepsItsState() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let script = directory.path + "/remap.at"
        try """
        AT+CGSN=1
        +CGSN: 866971030603068
        OK
        AT+QLACONFIG=0,"127.0.0.1",5683,"866971030603068",300,3
        OK
        AT+QLAADDOBJ=19,0,1,0
        OK
        AT+QLAREG
        OK
        wait 10s for +QLAREG: 0
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try ChildProcess(["run", "--imei", "866971030603068", "--remap", "127.0.0.1:5683=180.101.147.115:5683",
                                    "--state", directory.path, script])
        #expect(ChildProcess.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        #expect(run.outputText.contains("PASS remap.at: "), "\(run.outputText)")

        // The next run starts from the state the first one left.
        let check = directory.path + "/check.at"
        try "AT+QLACONFIG?\n+QLACONFIG: 0,\"127.0.0.1\",5683,\"866971030603068\",300,3,0\nOK\n"
            .write(toFile: check, atomically: true, encoding: .utf8)
        let again = try ChildProcess(["run", "--state", directory.path, check])
        #expect(ChildProcess.exitedCleanly(again.waitForExit(seconds: 15)), "\(again.outputText) \(again.errorText)")

        let refused = try ChildProcess(["run", "--remap", "127.0.0.1:5683", script])
        #expect(!ChildProcess.exitedCleanly(refused.waitForExit(seconds: 15)))
        #expect(refused.errorText.contains("--remap"), "\(refused.errorText)")
        let withPort = try ChildProcess(["run", "--port", "/dev/null", "--imei", "866971030603068", script])
        #expect(!ChildProcess.exitedCleanly(withPort.waitForExit(seconds: 15)))
        #expect(withPort.errorText.contains("not with --port"), "\(withPort.errorText)")
    }

    @Test(arguments: ["ct-iot.at", "ct-aep.at", "cm-andlink.at"])
    func theExamplesPassInVirtualTime(name: String) throws {
        // The whole module on its LwM2M session against the note's embedded platforms: every
        // line of chapter 4 holds, the CT IoT deep sleep included, in virtual time.
        let run = try ChildProcess(["run", PackagePaths.root + "/examples/" + name])
        #expect(ChildProcess.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        let last = run.outputText.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("PASS \(name): "), "\(run.outputText)")
    }

    @Test(arguments: ["ct-aep.at", "cm-andlink.at"])
    func theExamplesPassThroughAServedPtyInRealTime(name: String) throws {
        // Each against a fresh module: the custom objects an example adds are saved, and adding
        // them again is ERROR, as on a real module.
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let link = directory.path + "/bc260"
        let serve = try ChildProcess(["serve", "--pty", "--link", link, "--latency", "1", "--state", directory.path])
        _ = serve.readLines(count: 1)
        let run = try ChildProcess(["run", "--port", link, PackagePaths.root + "/examples/" + name])
        #expect(ChildProcess.exitedCleanly(run.waitForExit(seconds: 30)), "\(run.outputText) \(run.errorText)")
        #expect(run.outputText.contains("PASS \(name): "), "\(run.outputText)")
        #expect(ChildProcess.exitedCleanly(serve.terminate(SIGTERM)), "\(serve.errorText)")
    }

    @Test(arguments: ["ct-iot.at", "ct-aep.at", "cm-andlink.at"])
    func theExamplesPassThroughServeStdioInRealTime(name: String) throws {
        // `serve --stdio` as a host program would use it: socat joins its stdin/stdout to a pty,
        // and `run --port` plays the note's example on that pty. A short --sleep-idle lets the
        // CT IoT deep-sleep part run in seconds.
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let link = directory.path + "/bc260"
        let serve = "\(PackagePaths.bc260) serve --stdio --latency 1 --sleep-idle 1 --state \(directory.path)"
        let bridge = try ChildProcess(executable: "socat", ["pty,raw,echo=0,link=\(link)", "EXEC:\(serve)"])
        defer { bridge.terminate(SIGTERM) }
        let deadline = Date().addingTimeInterval(5)
        while !FileManager.default.fileExists(atPath: link) && Date() < deadline { usleep(10_000) }
        let run = try ChildProcess(["run", "--port", link, PackagePaths.root + "/examples/" + name])
        #expect(ChildProcess.exitedCleanly(run.waitForExit(seconds: 60)), "\(run.outputText) \(run.errorText)")
        #expect(run.outputText.contains("PASS \(name): "), "\(run.outputText)")
    }

    @Test func stdioRegistersWithTheEmbeddedCTIoTPlatform() throws {
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        _ = serve.readLines(count: 3)
        serve.send("ATE0\r" + #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"# + "\rAT+QLAADDOBJ=19,0,1,0\rAT+QLAREG\r")
        let lines = serve.readLines(count: 7)
        #expect(Array(lines.prefix(6)) == ["ATE0", "OK", "OK", "OK", "OK", "+QLAREG: 0"], "\(lines) \(serve.errorText)")
        let observe = lines.last ?? ""
        #expect(observe.hasPrefix(#"+QLAURC: "observe","#) && observe.hasSuffix(",0,19,0,0"), "\(observe)")
        let mid = observe.split(separator: ",").dropFirst().first.map(String.init) ?? ""
        serve.send("AT+QLAOBSRSP=\(mid),1,19,0,0,2,9,\"020001000400023238\",0\r")
        #expect(serve.readLines(count: 2) == ["OK", "+QLAOBSRSP: 0"])
        serve.send("AT+QLASTATUS?\r")
        #expect(serve.readLines(count: 2) == ["+QLASTATUS: 2", "OK"])
        serve.closeInput()
        #expect(ChildProcess.exitedCleanly(serve.waitForExit()))
    }

    @Test func stdioRegistersWithARealServerOverUDP() throws {
        // Any address other than the note's platforms is a real server: here an LwM2M server in
        // this test, on a loopback UDP socket, answering only while its loop is pumped.
        let loop = EventLoop()
        let server = UDPHost(node: LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 11)),
                             socket: try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0)), loop: loop)
        defer { server.close() }
        let pump = { _ = try? loop.run(until: { false }, timeout: 20) }
        let imei = "867724030023557"
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        #expect(serve.readLines(count: 3) == ["RDY", "+CFUN: 1", "+CPIN: READY"], "\(serve.errorText)")
        serve.send("ATE0\r" + #"AT+QLACONFIG=0,"127.0.0.1","# + "\(server.socket.localAddress.port),\"\(imei)\",300,3\r"
            + "AT+QLAADDOBJ=19,0,1,0\rAT+QLAREG\r")
        #expect(serve.waitFor(seconds: 10, pump: pump) { $0.contains { $0.hasPrefix("+QLAREG: ") } }, "\(serve.lines) \(serve.errorText)")
        #expect(Array(serve.lines.dropFirst(3)) == ["ATE0", "OK", "OK", "OK", "OK", "+QLAREG: 0"], "\(serve.errorText)")
        let registration = try #require(server.node.machine.registration(endpoint: imei))
        #expect(registration.objectPaths.contains(LwM2MPath(19, 0)))
        #expect(registration.peer.port != 56_830, "from serve's own UDP socket, not the emulated module's port")

        serve.send("AT+QLADEREG\r")
        #expect(serve.waitFor(seconds: 10, pump: pump) { $0.contains { $0.hasPrefix("+QLADEREG: ") } }, "\(serve.lines)")
        #expect(serve.lines.last == "+QLADEREG: 0")
        #expect(server.node.machine.registration(endpoint: imei) == nil)
        serve.closeInput()
        #expect(ChildProcess.exitedCleanly(serve.waitForExit()), "\(serve.errorText)")
    }

    static let pyserialClient = """
    import sys, serial
    port = serial.Serial(sys.argv[1], 115200, timeout=5)
    port.reset_input_buffer()
    lines = []
    def until_ok():
        while True:
            line = port.read_until(b"\\r\\n")
            if not line:
                sys.exit(3)
            text = line.strip().decode()
            if text and text not in ("RDY", "+CFUN: 1", "+CPIN: READY"):
                lines.append(text)
            if text in ("OK", "ERROR"):
                return
    for command in (b"ATE0", b"ATI", b"AT+QLASTATUS?"):
        port.write(command + b"\\r")
        until_ok()
    print("\\n".join(lines))
    """
}

let pyserialAvailable: Bool = {
    guard let process = try? ChildProcess(executable: "python3", ["-c", "import serial"]) else { return false }
    return ChildProcess.exitedCleanly(process.waitForExit(seconds: 10))
}()

/// Reads `\r\n`-framed lines from a serial port, waiting up to a few seconds.
struct PortReader {
    let port: SerialPort
    private var pending: [UInt8] = []

    init(port: SerialPort) { self.port = port }

    mutating func readLines(count: Int, seconds: Double = 5) -> [String] {
        var lines: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while lines.count < count, Date() < deadline {
            lines += takeLines(limit: count - lines.count)
            if lines.count >= count { break }
            var descriptor = pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 20)
            if let bytes = try? port.read() { pending += bytes }
        }
        return lines
    }

    private mutating func takeLines(limit: Int) -> [String] {
        var lines: [String] = []
        while lines.count < limit, let end = pending.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) {
            let line = String(decoding: pending[..<end], as: UTF8.self)
            pending.removeSubrange(...end)
            if !line.isEmpty { lines.append(line) }
        }
        return lines
    }
}
