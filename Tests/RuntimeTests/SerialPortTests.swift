import Glibc
import Testing
@testable import Runtime
import TestSupport

/// `SerialPort` on the slave of our own `PseudoTerminal`, which carries termios like a UART.
@Suite struct SerialPortTests {
    @Test(arguments: [9600, 115_200, 921_600])
    func baudRateIsAppliedAndReadsBack(_ rate: Int) throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath, configuration: .init(baudRate: try .init(rate)))
        let applied = try #require(port.appliedSettings)
        #expect(applied.outputBaudRate?.bitsPerSecond == rate)
        #expect(applied.inputBaudRate?.bitsPerSecond == rate)
        #expect(applied.characterSize == 8 && applied.parity == .none && applied.stopBits == 1)
        #expect(applied.isRaw)
        #expect(!applied.hardwareFlowControl)
        #expect(applied.ignoresModemLines && applied.receiverEnabled)

        // Read back independently of SerialPort, through another descriptor on the same tty.
        var attributes = termios()
        let other = try TerminalClient(path: pty.slavePath)
        #expect(tcgetattr(other.fd, &attributes) == 0)
        #expect(cfgetospeed(&attributes) == (try SerialPort.BaudRate(rate)).speed)
        #expect(attributes.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(attributes.c_lflag & tcflag_t(ECHO | ICANON) == 0)
        #expect(attributes.c_iflag & tcflag_t(ICRNL) == 0)
        #expect(try port.currentSettings() == applied)
    }

    @Test func hardwareFlowControlIsSetWhenAsked() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath,
                                  configuration: .init(baudRate: .b57600, hardwareFlowControl: true))
        #expect(port.appliedSettings?.hardwareFlowControl == true)
        var attributes = termios()
        #expect(tcgetattr(port.fileDescriptor, &attributes) == 0)
        #expect(attributes.c_cflag & tcflag_t(CRTSCTS) != 0)
        #expect(port.appliedSettings?.description == "57600 8N1 rtscts raw")
    }

    @Test func unknownBaudRateIsAClearError() {
        #expect(throws: SerialPortError.unsupportedBaudRate(12_345)) { try SerialPort.BaudRate(12_345) }
        let text = SerialPortError.unsupportedBaudRate(12_345).description
        #expect(text.contains("12345"))
        #expect(text.contains("9600") && text.contains("921600"))
        #expect(SerialPort.BaudRate(speed: speed_t(B0)) == nil)
        #expect(SerialPort.BaudRate(speed: speed_t(B38400)) == .b38400)
        for rate in SerialPort.BaudRate.supported {
            #expect((try? SerialPort.BaudRate(rate.bitsPerSecond)) == rate)
        }
    }

    @Test func bytesBothWaysThroughThePort() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        let bytes = pattern(4096) + Array("\r\n\r\r\n\n".utf8)
        #expect(try transfer(bytes, send: { try port.write($0) }, receiveFD: pty.fileDescriptor,
                             receive: { try pty.read() }) == bytes)
        #expect(try transfer(bytes, send: { try pty.write(Array($0)) }, receiveFD: port.fileDescriptor,
                             receive: { try port.read() }) == bytes)
        #expect(try port.read() == nil)
    }

    @Test func openFailuresNameThePathAndErrno() {
        let missingPath = "/dev/ttyUSB-bc260-test-missing"
        do {
            _ = try SerialPort(path: missingPath)
            Issue.record("opened a missing device")
        } catch {
            #expect(error == .system(call: "open", path: missingPath, errno: ENOENT))
            #expect(error.isDeviceAbsent)
            #expect(error.description == "open \(missingPath): No such file or directory (errno 2)")
        }
        // Not a terminal: tcgetattr refuses, and the descriptor is not leaked open.
        do {
            _ = try SerialPort(path: "/dev/null")
            Issue.record("treated /dev/null as a terminal")
        } catch {
            #expect(error == .system(call: "tcgetattr", path: "/dev/null", errno: ENOTTY))
            #expect(error.description.contains("/dev/null"))
            #expect(!error.isDeviceAbsent)
        }
    }

    @Test func lostWhenTheTerminalGoesAwayAndReopenWaitsForIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let link = directory.file("modem")
        var pty: PseudoTerminal? = try PseudoTerminal(linkPath: link)
        let port = try SerialPort(path: link)
        pty?.close()
        pty = nil
        // The hangup is visible to poll and to read.
        #expect(waitFor(port.fileDescriptor, milliseconds: 2000))
        #expect(throws: SerialPortError.deviceLost(path: link, detail: "read returned end of file", errno: 0)) {
            try port.read()
        }
        #expect(port.lostCondition(for: [.readable, .hangup])?.isDeviceLost == true)
        #expect(port.lostCondition(for: [.readable]) == nil)
        // The link went with the terminal: reopening fails as "absent" until it is back.
        do {
            try port.reopen()
            Issue.record("reopened a device that is gone")
        } catch {
            #expect(error.isDeviceAbsent)
            #expect(error.description.contains(link))
        }
        #expect(!port.isOpen)
        let again = try PseudoTerminal(linkPath: link)
        try port.reopen()
        #expect(port.isOpen)
        #expect(try transfer(Array("AT\r\n".utf8), send: { try port.write($0) }, receiveFD: again.fileDescriptor,
                             receive: { try again.read() }) == Array("AT\r\n".utf8))
    }

    @Test func closedPortRefusesCalls() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.slavePath)
        port.close()
        port.close()
        #expect(throws: SerialPortError.closed(path: pty.slavePath)) { try port.read() }
        #expect(throws: SerialPortError.closed(path: pty.slavePath)) { try port.write([0x41]) }
        #expect(throws: SerialPortError.closed(path: pty.slavePath)) { try port.currentSettings() }
    }
}
