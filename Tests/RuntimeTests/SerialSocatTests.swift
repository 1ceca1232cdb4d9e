import Glibc
import Testing
@testable import Runtime
import TestSupport

/// Serial ports on a socat null-modem pair: a device owned by another process, which can
/// vanish (socat killed) and come back (socat started again at the same links).
@Suite struct SerialSocatTests {
    @Test func portsOnASocatPairTalkBothWays() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pair = SocatPair(linkA: directory.file("A"), linkB: directory.file("B"))
        defer { pair.stop() }
        #expect(try pair.start())
        let a = try SerialPort(path: pair.linkA, configuration: .init(baudRate: .b115200))
        let b = try SerialPort(path: pair.linkB, configuration: .init(baudRate: .b921600))
        #expect(a.appliedSettings?.outputBaudRate == .b115200)
        #expect(b.appliedSettings?.outputBaudRate == .b921600)
        #expect(try TermiosSettings(fileDescriptor: b.fileDescriptor, path: b.path).isRaw)

        let bytes = pattern(4096) + Array("\r\n+QLAURC: \"write\"\r\n".utf8)
        #expect(try transfer(bytes, send: { try a.write($0) }, receiveFD: b.fileDescriptor, receive: { try b.read() }) == bytes)
        #expect(try transfer(bytes, send: { try b.write($0) }, receiveFD: a.fileDescriptor, receive: { try a.read() }) == bytes)
    }

    @Test func killingSocatLosesThePortAndReopenWorksWhenItIsBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pair = SocatPair(linkA: directory.file("A"), linkB: directory.file("B"))
        defer { pair.stop() }
        #expect(try pair.start())
        let port = try SerialPort(path: pair.linkA)

        #expect(pair.stop())
        #expect(waitFor(port.fileDescriptor, milliseconds: 5000))
        do {
            while try port.read() != nil {}
            Issue.record("read reported no loss")
        } catch {
            #expect(error.isDeviceLost)
            #expect(error.description.contains(pair.linkA))
        }
        #expect(throws: SerialPortError.system(call: "open", path: pair.linkA, errno: ENOENT)) { try port.reopen() }

        #expect(try pair.start())
        try port.reopen()
        let b = try SerialPort(path: pair.linkB)
        let hello = Array("AT\r\n".utf8)
        #expect(try transfer(hello, send: { try port.write($0) }, receiveFD: b.fileDescriptor, receive: { try b.read() }) == hello)
    }

    @Test func driverReportsLostThenReconnectedAcrossASocatRestart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pair = SocatPair(linkA: directory.file("A"), linkB: directory.file("B"))
        defer { pair.stop() }
        #expect(try pair.start())

        let loop = EventLoop()
        var events: [SerialLink.Event] = []
        var received: [UInt8] = []
        let driver = SerialLinkDriver(path: pair.linkA, retryInterval: 20, loop: loop,
                                      onBytes: { received += $0 }, onEvent: { events.append($0) })
        defer { driver.stop() }
        driver.start()
        #expect(driver.isConnected)
        guard case .connected = events.first else {
            Issue.record("first event \(String(describing: events.first))")
            return
        }

        var b = try SerialPort(path: pair.linkB)
        #expect(try b.write(Array("ping\r\n".utf8)) == 6)
        #expect(try loop.run(until: { received == Array("ping\r\n".utf8) }, timeout: 5000))
        #expect(driver.send(Array("pong\r\n".utf8)))
        #expect(waitFor(b.fileDescriptor, milliseconds: 5000))
        #expect(try b.read() == Array("pong\r\n".utf8))

        // socat goes away: one `lost`, then failing attempts every 20 ms.
        #expect(pair.stop())
        #expect(try loop.run(until: { events.contains { if case .lost = $0 { true } else { false } } }, timeout: 5000))
        #expect(!driver.isConnected)
        #expect(!driver.send([0x41]))
        #expect(driver.droppedOutputCount == 1)
        #expect(try loop.run(until: { failedAttempts(events) >= 2 }, timeout: 5000))
        let failures = events.compactMap { event -> (Int, SerialPortError)? in
            if case let .openFailed(_, attempt, reason, _) = event { return (attempt, reason) } else { return nil }
        }
        #expect(failures.map(\.0).prefix(2) == [1, 2])
        #expect(failures.allSatisfy { $0.1.isDeviceAbsent })

        // socat is back at the same links: the driver finds it.
        #expect(try pair.start())
        #expect(try loop.run(until: { driver.isConnected }, timeout: 5000))
        guard case let .reconnected(at, downtime, attempts)? = events.last else {
            Issue.record("last event \(String(describing: events.last))")
            return
        }
        #expect(downtime > 0 && attempts >= 3)
        #expect(at <= loop.now)
        b = try SerialPort(path: pair.linkB)
        received = []
        #expect(try b.write(Array("again\r\n".utf8)) == 7)
        #expect(try loop.run(until: { received == Array("again\r\n".utf8) }, timeout: 5000))
        #expect(events.filter { if case .lost = $0 { true } else { false } }.count == 1)
    }
}

private func failedAttempts(_ events: [SerialLink.Event]) -> Int {
    events.filter { if case .openFailed = $0 { true } else { false } }.count
}
