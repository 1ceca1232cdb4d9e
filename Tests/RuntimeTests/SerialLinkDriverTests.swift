import Glibc
import Testing
@testable import Runtime
import TestSupport

/// `SerialLinkDriver` on the slave of our own `PseudoTerminal`: closing the terminal makes the
/// device vanish, a new one at the same link brings it back.
@Suite struct SerialLinkDriverTests {
    @Test func deviceMissingAtStartConnectsWhenItAppears() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let link = directory.file("modem")
        let loop = EventLoop()
        var events: [SerialLink.Event] = []
        let driver = SerialLinkDriver(path: link, retryInterval: 10, loop: loop, onEvent: { events.append($0) })
        defer { driver.stop() }
        driver.start()
        guard case let .openFailed(_, 1, reason, _)? = events.first else {
            Issue.record("first event \(String(describing: events.first))")
            return
        }
        #expect(reason == .system(call: "open", path: link, errno: ENOENT))
        #expect(loop.pendingTimerCount == 1)

        let pty = try PseudoTerminal(linkPath: link)
        #expect(try loop.run(until: { driver.isConnected }, timeout: 2000))
        guard case .connected? = events.last else {
            Issue.record("last event \(String(describing: events.last))")
            return
        }
        #expect(loop.pendingTimerCount == 0)
        #expect(driver.send(Array("+QLAURC: \"ping\"\r\n".utf8)))
        #expect(waitFor(pty.fileDescriptor, milliseconds: 2000))
        #expect(try pty.read() == Array("+QLAURC: \"ping\"\r\n".utf8))
    }

    @Test func terminalClosedIsLostAndANewOneIsReconnected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let link = directory.file("modem")
        var pty = try PseudoTerminal(linkPath: link)
        let loop = EventLoop()
        var events: [SerialLink.Event] = []
        var received: [UInt8] = []
        let driver = SerialLinkDriver(path: link, retryInterval: 10, loop: loop,
                                      onBytes: { received += $0 }, onEvent: { events.append($0) })
        defer { driver.stop() }
        driver.start()
        #expect(driver.isConnected)

        #expect(try pty.write(Array("AT\r\n".utf8)) == 4)
        #expect(try loop.run(until: { received.count == 4 }, timeout: 2000))
        pty.close()
        #expect(try loop.run(until: { !driver.isConnected }, timeout: 2000))
        guard case let .lost(_, reason)? = events.last else {
            Issue.record("last event \(String(describing: events.last))")
            return
        }
        #expect(reason.isDeviceLost)
        #expect(loop.watchCount == 0)

        pty = try PseudoTerminal(linkPath: link)
        #expect(try loop.run(until: { driver.isConnected }, timeout: 2000))
        guard case let .reconnected(_, downtime, attempts)? = events.last else {
            Issue.record("last event \(String(describing: events.last))")
            return
        }
        #expect(downtime >= 10)
        #expect(attempts >= 1)
        #expect(received == Array("AT\r\n".utf8))
        #expect(try pty.write(Array("ATI\r\n".utf8)) == 5)
        #expect(try loop.run(until: { received.count == 9 }, timeout: 2000))
    }

    @Test func outputTheDeviceCannotTakeYetIsFlushedLaterAndTheExcessDropped() throws {
        let pty = try PseudoTerminal()
        let loop = EventLoop()
        let driver = SerialLinkDriver(path: pty.slavePath, loop: loop)
        defer { driver.stop() }
        driver.maximumPendingOutput = 100_000
        driver.start()
        let bytes = pattern(200_000)
        #expect(driver.send(bytes))
        #expect(driver.droppedOutputCount == 100_000)
        // Nobody reads the master yet: the kernel's queue holds less than the rest.
        #expect(driver.pendingOutputCount > 0)

        var received: [UInt8] = []
        let watch = loop.watch(pty.fileDescriptor) { _ in
            while let chunk = try? pty.read() { received += chunk }
        }
        defer { loop.unwatch(watch) }
        #expect(try loop.run(until: { received.count == 100_000 }, timeout: 5000))
        #expect(received == Array(bytes.prefix(100_000)))
        #expect(driver.pendingOutputCount == 0)
    }

    /// A device that never stops talking (here: every read refills it) is read a slice per
    /// turn of the loop, so whoever shares the loop (the console's keys and screen) gets turns.
    @Test func aFloodIsReadASlicePerTurnOfTheLoop() throws {
        let pty = try PseudoTerminal()
        let loop = EventLoop()
        var delivered = 0
        var refills = 0
        let chunk = Array(repeating: UInt8(ascii: "x"), count: 1024)
        let driver = SerialLinkDriver(path: pty.slavePath, loop: loop, onBytes: { bytes in
            delivered += bytes.count
            if refills < 1000 {
                refills += 1
                _ = try? pty.write(chunk)
            }
        })
        defer { driver.stop() }
        driver.start()
        #expect(try pty.write(chunk) == chunk.count)
        #expect(waitFor(pty.fileDescriptor, events: Int32(POLLOUT), milliseconds: 1000))
        var turns: [Int] = []
        while delivered < 1024 * 1000, turns.count < 2000 {
            let before = delivered
            try loop.runOnce(maximumWait: 1000)
            turns.append(delivered - before)
        }
        #expect(delivered >= 1024 * 1000, "all of it arrives")
        #expect(turns.max() ?? 0 <= SerialLinkDriver.readsPerTurn * 4096, "\(turns.prefix(10))")
        #expect(turns.count > 10)
    }

    @Test func stopClosesThePortAndCancelsEverything() throws {
        let pty = try PseudoTerminal()
        let loop = EventLoop()
        let driver = SerialLinkDriver(path: pty.slavePath, loop: loop)
        driver.start()
        #expect(loop.watchCount == 1)
        driver.stop()
        #expect(!driver.isConnected)
        #expect(driver.port == nil)
        #expect(loop.watchCount == 0)
        #expect(loop.pendingTimerCount == 0)
        #expect(!driver.send([0x41]))
    }
}
