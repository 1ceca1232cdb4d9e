import Foundation
import Glibc
import Runtime
import Testing

/// `bc260 serve` and `bc260 run` as real child processes: the built `bc260` executable (the
/// Makefile's `swift build --build-tests` builds it beside the test bundle), driven through
/// pipes, a pseudo-terminal opened with our own `SerialPort`, and pyserial.
@Suite("bc260 serve and run as processes", .serialized)
struct ServeProcessTests {
    @Test func stdioAnswersTheBasicsAndEndsAtEndOfInput() throws {
        let directory = try ScratchDirectory()
        let serve = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path])
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
        #expect(BC260Process.exitedCleanly(serve.waitForExit()), "end of input ends serve: \(serve.errorText)")
    }

    @Test func identityFlags() throws {
        let directory = try ScratchDirectory()
        let serve = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path,
                                      "--imei", "866971030603068", "--imsi", "460111174747875"])
        _ = serve.readLines(count: 3)
        serve.send("ATE0\rAT+CGSN=1\rAT+CIMI\r")
        #expect(serve.readLines(count: 6) == ["ATE0", "OK", "+CGSN: 866971030603068", "OK", "460111174747875", "OK"])
        serve.closeInput()
        #expect(BC260Process.exitedCleanly(serve.waitForExit()))
        let refused = try BC260Process(["serve", "--stdio", "--imei", "12345"])
        #expect(!BC260Process.exitedCleanly(refused.waitForExit()))
        #expect(refused.errorText.contains("--imei"))
    }

    @Test func sigtermSavesAndTheNextServeHasTheConfiguration() throws {
        let directory = try ScratchDirectory()
        let first = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        _ = first.readLines(count: 3)
        first.send("ATE0\r")
        _ = first.readLines(count: 2)
        first.send(#"AT+QLACONFIG=0,"10.9.9.9",5683,"866971031275899",30,3"# + "\r")
        first.send(#"AT+QLACFG="platform",1"# + "\r" + "AT+QLAADDOBJ=19,0,1,0\r")
        #expect(first.readLines(count: 3) == ["OK", "OK", "OK"])
        #expect(BC260Process.exitedCleanly(first.terminate(SIGTERM)), "SIGTERM ends serve cleanly: \(first.errorText)")

        let second = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        _ = second.readLines(count: 3)
        second.send("ATE0\rAT+QLACONFIG?\r" + #"AT+QLACFG="platform""# + "\r")
        #expect(second.readLines(count: 6) == [
            "ATE0", "OK", #"+QLACONFIG: 0,"10.9.9.9",5683,"866971031275899",30,3,0"#, "OK", #"+QLACFG: "platform",1"#, "OK",
        ])
        #expect(BC260Process.exitedCleanly(second.terminate(SIGINT)), "SIGINT too")
    }

    @Test func killedWhileSavingTheStateStaysWhole() throws {
        // A burst of AT+QLACFG sets, each saving the state, cut by SIGKILL at a different point
        // each round. Every set whose OK came out was saved before it (the state is written and
        // flushed before the bytes leave); the file is never torn.
        let directory = try ScratchDirectory()
        let values = (0..<60).map { (2 + $0 % 19, ($0 / 19) % 9) }
        for (round, cut) in [3, 17, 1, 42, 29].enumerated() {
            let serve = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path])
            _ = serve.readLines(count: 3)
            serve.send("ATE0\r")
            _ = serve.readLines(count: 2)
            serve.send(values.map { #"AT+QLACFG="retransmit",\#($0.0),\#($0.1)"# + "\r" }.joined())
            let seen = serve.readLines(count: cut).count
            serve.kill(SIGKILL)
            _ = serve.waitForExit()

            let next = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path])
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
        let directory = try ScratchDirectory()
        let link = directory.path + "/bc260"
        let serve = try BC260Process(["serve", "--pty", "--link", link, "--latency", "0", "--state", directory.path])
        let path = try #require(serve.readLines(count: 1).first, "the pty path: \(serve.errorText)")
        #expect(path.hasPrefix("/dev/pts/"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == path)

        let port = try SerialPort(path: link)
        var reader = PortReader(port: port)
        #expect(reader.readLines(count: 3) == ["RDY", "+CFUN: 1", "+CPIN: READY"], "the banner waited for the first client")
        _ = try port.write(Array("AT+CGSN=1\r".utf8))
        #expect(reader.readLines(count: 3) == ["AT+CGSN=1", "+CGSN: 867724030023557", "OK"])
        port.close()
        #expect(BC260Process.exitedCleanly(serve.terminate(SIGTERM)), "\(serve.errorText)")
        #expect(!FileManager.default.fileExists(atPath: link), "the link goes with the terminal")
    }

    @Test(.enabled(if: pyserialAvailable, "pyserial is not installed (python3 -c 'import serial' fails)"))
    func ptyServesPyserial() throws {
        let directory = try ScratchDirectory()
        let link = directory.path + "/bc260"
        let serve = try BC260Process(["serve", "--pty", "--link", link, "--latency", "2", "--state", directory.path])
        _ = serve.readLines(count: 1)
        let client = try BC260Process(executable: "python3", ["-c", Self.pyserialClient, link])
        let status = client.waitForExit(seconds: 15)
        #expect(BC260Process.exitedCleanly(status), "pyserial client: \(client.outputText) \(client.errorText)")
        let lines = client.outputText.split(separator: "\n").map(String.init)
        #expect(lines == ["ATE0", "OK", "Quectel", "BC260Y-CN", "Revision: BC260YCNAAR01A02", "OK", "+QLASTATUS: 0", "OK"])
        #expect(BC260Process.exitedCleanly(serve.terminate(SIGTERM)))
    }

    @Test func runPlaysAScriptThroughTheServedPty() throws {
        let directory = try ScratchDirectory()
        let link = directory.path + "/bc260"
        let serve = try BC260Process(["serve", "--pty", "--link", link, "--latency", "1", "--state", directory.path])
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
        let run = try BC260Process(["run", "--port", link, script])
        #expect(BC260Process.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        #expect(run.outputText.contains("> AT+QLACONFIG=0,\"127.0.0.1\",5683,\"867724030023557\",300,3"))
        #expect(run.outputText.contains("PASS basics.at: 5 expected lines held"))

        let failing = directory.path + "/failing.at"
        try "AT\nOK\nAT+QLASTATUS?\ntimeout 300ms\n+QLASTATUS: 2\nOK\n".write(toFile: failing, atomically: true, encoding: .utf8)
        let failed = try BC260Process(["run", "--port", link, failing])
        #expect(BC260Process.exitCode(failed.waitForExit(seconds: 15)) == 1)
        #expect(failed.outputText.contains("FAIL failing.at:5: `+QLASTATUS: 2` did not arrive within 300ms (meanwhile: `+QLASTATUS: 0`, `OK`)"), "\(failed.outputText)")
        #expect(BC260Process.exitedCleanly(serve.terminate(SIGTERM)))
    }

    @Test func runAgainstTheEmulatorInVirtualTime() throws {
        let directory = try ScratchDirectory()
        let script = directory.path + "/register.at"
        // No platform at 192.0.2.1: the registration times out at 126 s (2 s, 5 retransmissions),
        // in virtual time.
        try "AT+QLACONFIG=0,\"192.0.2.1\",5683,\"ep\",300,3\nOK\nAT+QLAREG\nOK\nwait 3m for +QLAREG: 1\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        let started = Date()
        let run = try BC260Process(["run", "--latency", "0", script])
        #expect(BC260Process.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        #expect(Date().timeIntervalSince(started) < 10, "virtual time: far less than the 126 s it stands for")
        #expect(run.outputText.contains("[ 126.000] < +QLAREG: 1"), "\(run.outputText)")

        let broken = directory.path + "/broken.at"
        try "AT\nOK\nwait 5 for OK\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try BC260Process(["run", broken])
        #expect(BC260Process.exitCode(refused.waitForExit(seconds: 15)) == 2)
        #expect(refused.errorText.contains("broken.at:3: `wait` needs a duration"), "\(refused.errorText)")
    }

    @Test(arguments: ["ct-iot.at", "ct-aep.at", "cm-andlink.at"])
    func theExamplesPassInVirtualTime(name: String) throws {
        // The whole module on its LwM2M session against the note's embedded platforms: every
        // line of chapter 4 holds, the CT IoT deep sleep included, in virtual time.
        let run = try BC260Process(["run", BC260Process.packageRoot + "/examples/" + name])
        #expect(BC260Process.exitedCleanly(run.waitForExit(seconds: 15)), "\(run.outputText) \(run.errorText)")
        let last = run.outputText.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("PASS \(name): "), "\(run.outputText)")
    }

    @Test(arguments: ["ct-aep.at", "cm-andlink.at"])
    func theExamplesPassThroughAServedPtyInRealTime(name: String) throws {
        // Each against a fresh module: the custom objects an example adds are saved, and adding
        // them again is ERROR, as on a real module.
        let directory = try ScratchDirectory()
        let link = directory.path + "/bc260"
        let serve = try BC260Process(["serve", "--pty", "--link", link, "--latency", "1", "--state", directory.path])
        _ = serve.readLines(count: 1)
        let run = try BC260Process(["run", "--port", link, BC260Process.packageRoot + "/examples/" + name])
        #expect(BC260Process.exitedCleanly(run.waitForExit(seconds: 30)), "\(run.outputText) \(run.errorText)")
        #expect(run.outputText.contains("PASS \(name): "), "\(run.outputText)")
        #expect(BC260Process.exitedCleanly(serve.terminate(SIGTERM)), "\(serve.errorText)")
    }

    @Test func stdioRegistersWithTheEmbeddedCTIoTPlatform() throws {
        let directory = try ScratchDirectory()
        let serve = try BC260Process(["serve", "--stdio", "--latency", "0", "--state", directory.path])
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
        #expect(BC260Process.exitedCleanly(serve.waitForExit()))
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
    guard let process = try? BC260Process(executable: "python3", ["-c", "import serial"]) else { return false }
    return BC260Process.exitedCleanly(process.waitForExit(seconds: 10))
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
