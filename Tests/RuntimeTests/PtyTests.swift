import Glibc
import Testing
@testable import Runtime
import TestSupport

/// 4 KiB holding every byte value 16 times, CR and LF among them.
private let everyByte: [UInt8] = (0..<4096).map { UInt8($0 % 256) }

@Suite struct PtyTests {
    @Test func rawBytesBothWaysIncludingCRLFIn4KiB() throws {
        let pty = try PseudoTerminal()
        #expect(pty.slavePath.hasPrefix("/dev/pts/"))
        let client = try TerminalClient(path: pty.slavePath)

        let toMaster = try transfer(everyByte, send: { client.write($0) },
                                    receiveFD: pty.fileDescriptor, receive: { try pty.read() })
        #expect(toMaster == everyByte)
        let toClient = try transfer(everyByte, send: { try pty.write(Array($0)) },
                                    receiveFD: client.fd, receive: { client.read() })
        #expect(toClient == everyByte)

        // The line ending the module's parser cares about, alone, is not rewritten either way.
        let line = Array("AT+CGATT?\r\n".utf8)
        #expect(try transfer(line, send: { client.write($0) }, receiveFD: pty.fileDescriptor, receive: { try pty.read() }) == line)
        #expect(try transfer(line, send: { try pty.write(Array($0)) }, receiveFD: client.fd, receive: { client.read() }) == line)
    }

    @Test func slaveStartsRawAndRestoreRawModeUndoesAClientsEcho() throws {
        let pty = try PseudoTerminal()
        let client = try TerminalClient(path: pty.slavePath)
        let seenByClient = try TermiosSettings(fileDescriptor: client.fd, path: client.path)
        #expect(seenByClient.isRaw)
        #expect(!seenByClient.echo)
        #expect(try pty.slaveSettings() == seenByClient)

        // Raw: what the master writes is not echoed back to it.
        #expect(try pty.write(Array("AT\r".utf8)) == 3)
        #expect(!waitFor(pty.fileDescriptor, milliseconds: 50))

        // A client that turns echo on changes the shared settings; the master then reads its
        // own bytes back (which shows the previous check could fail) until raw mode returns.
        var attributes = termios()
        #expect(tcgetattr(client.fd, &attributes) == 0)
        attributes.c_lflag |= tcflag_t(ECHO)
        #expect(tcsetattr(client.fd, TCSANOW, &attributes) == 0)
        #expect(try pty.slaveSettings().echo)
        #expect(try pty.write(Array("E".utf8)) == 1)
        #expect(waitFor(pty.fileDescriptor, milliseconds: 2000))
        #expect(try pty.read() == Array("E".utf8))

        try pty.restoreRawMode()
        #expect(try pty.slaveSettings().isRaw)
        #expect(try pty.write(Array("F".utf8)) == 1)
        #expect(!waitFor(pty.fileDescriptor, milliseconds: 50))
    }

    @Test func twoSuccessiveClientsAndNoHangupInBetween() throws {
        let loop = EventLoop()
        let pty = try PseudoTerminal()
        var received: [UInt8] = []
        var wakeups = 0
        var failures: [SerialPortError] = []
        pty.watch(on: loop, onBytes: { wakeups += 1; received += $0 }, onFailure: { failures.append($0) })

        for round in 1...2 {
            let hello = Array("hello \(round)\r\n".utf8)
            do {
                let client = try TerminalClient(path: pty.slavePath)
                #expect(client.write(hello[...]) == hello.count)
                #expect(try loop.run(until: { received.count >= hello.count }, timeout: 2000))
                #expect(received == hello)
                let reply = Array("OK\r\n".utf8)
                #expect(try transfer(reply, send: { try pty.write(Array($0)) }, receiveFD: client.fd, receive: { client.read() }) == reply)
            }
            // The client closed. The master neither reads EIO nor wakes the loop with a hangup.
            received = []
            wakeups = 0
            try loop.runOnce(maximumWait: 50)
            #expect(wakeups == 0)
            #expect(try pty.read() == nil)
            #expect(failures.isEmpty)
        }
    }

    @Test func outputWrittenWithNoClientWaitsUntilDiscarded() throws {
        let pty = try PseudoTerminal()
        #expect(try pty.write(Array("stale\r\n".utf8)) == 7)
        // The kernel hands bytes from the master to the slave's queue in its own time.
        #expect(eventually { pty.unreadOutputCount == 7 })
        pty.discardUnreadOutput()
        #expect(pty.unreadOutputCount == 0)
        #expect(try pty.write(Array("fresh\r\n".utf8)) == 7)
        let client = try TerminalClient(path: pty.slavePath)
        #expect(waitFor(client.fd, milliseconds: 2000))
        #expect(client.read() == Array("fresh\r\n".utf8))
    }

    @Test func closedTerminalRefusesCallsWithItsPath() throws {
        let pty = try PseudoTerminal()
        let path = pty.slavePath
        pty.close()
        pty.close()
        #expect(pty.isClosed)
        #expect(throws: SerialPortError.closed(path: path)) { try pty.read() }
        #expect(throws: SerialPortError.closed(path: path)) { try pty.write([1]) }
        #expect(throws: SerialPortError.closed(path: path)) { try pty.slaveSettings() }
        #expect(pty.unreadOutputCount == 0)
    }
}
