import Glibc
import Testing
@testable import Runtime

/// `SerialLinkDriver` on the slave of our own `PseudoTerminal`: closing the terminal makes the
/// device vanish, a new one at the same link brings it back.
@Suite struct SerialLinkDriverTests {
    @Test func deviceMissingAtStartConnectsWhenItAppears() throws {
        let directory = TemporaryDirectory()
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
        let directory = TemporaryDirectory()
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
