import Glibc
import Testing
@testable import Runtime
import TestSupport

/// A client in another process, setting its own termios the way terminal programs do: it says
/// hello, waits for "ping", answers "pong" and exits 0.
private let stdlibClient = """
import os, select, sys, termios, tty
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
attributes = termios.tcgetattr(fd)
attributes[4] = attributes[5] = termios.B9600
termios.tcsetattr(fd, termios.TCSANOW, attributes)
os.write(fd, b"hello " + sys.argv[2].encode() + b"\\r\\n")
data = b""
while not data.endswith(b"ping\\r\\n"):
    ready, _, _ = select.select([fd], [], [], 5)
    if not ready:
        sys.exit(3)
    data += os.read(fd, 100)
os.write(fd, b"pong\\r\\n")
os.close(fd)
"""

/// The same conversation through pyserial.
private let pyserialClient = """
import sys, serial
port = serial.Serial(sys.argv[1], 115200, timeout=5)
port.write(b"hello " + sys.argv[2].encode() + b"\\r\\n")
if not port.read_until(b"ping\\r\\n").endswith(b"ping\\r\\n"):
    sys.exit(3)
port.write(b"pong\\r\\n")
port.close()
"""

@Suite struct PtyClientProcessTests {
    @Test(.enabled(if: python3Available, "python3 is not installed"))
    func twoSuccessiveProcessClientsWithTheirOwnTermios() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pty = try PseudoTerminal(linkPath: directory.file("bc260"))
        for round in 1...2 {
            try converse(with: pty, script: stdlibClient, round: round)
            // The client's settings outlive it: it asked for 9600.
            #expect(try pty.slaveSettings().outputBaudRate == .b9600)
        }
    }

    @Test(.enabled(if: pyserialAvailable, "pyserial is not installed (python3 -c 'import serial' fails)"))
    func pyserialClientTalksToTheTerminal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pty = try PseudoTerminal(linkPath: directory.file("bc260"))
        for round in 1...2 {
            try converse(with: pty, script: pyserialClient, round: round)
        }
        #expect(try pty.slaveSettings().outputBaudRate == .b115200)
    }

    private func converse(with pty: PseudoTerminal, script: String, round: Int) throws {
        let linkPath = try #require(pty.linkPath)
        let client = try ChildProcess(executable: "python3", ["-c", script, linkPath, "\(round)"], mergingErrors: true)
        let hello = Array("hello \(round)\r\n".utf8)
        var received: [UInt8] = []
        let deadline = monotonicMilliseconds() + 5000
        while received.count < hello.count, monotonicMilliseconds() < deadline {
            if waitFor(pty.fileDescriptor, milliseconds: 20) { received += try pty.read() ?? [] }
        }
        #expect(received == hello, "client said \(String(decoding: received, as: UTF8.self)); \(client.outputText)")
        #expect(try pty.write(Array("ping\r\n".utf8)) == 6)
        received = []
        while received.count < 6, monotonicMilliseconds() < deadline {
            if waitFor(pty.fileDescriptor, milliseconds: 20) { received += try pty.read() ?? [] }
        }
        #expect(received == Array("pong\r\n".utf8))
        let status = client.waitForExit()
        #expect(ChildProcess.exitedCleanly(status), "client exited with status \(String(describing: status)): \(client.outputText)")
    }
}
