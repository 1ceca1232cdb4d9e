import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

/// Console lines on a CT IoT platform with one registered device: each names the right request,
/// says at once what it sent, and the device's answer arrives in the log.
@Suite struct PlatformConsoleTests {
    func registeredWorld() -> PlatformWorld {
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI)
        world.start()
        world.run(until: 1_000)
        return world
    }

    /// The lines logged after `before`.
    func logged(_ world: PlatformWorld, after before: Int) -> [String] {
        world.platform.node.lines(after: before).map(\.text)
    }

    @Test func readByNumberShowsDecodedValues() throws {
        let world = registeredWorld()
        let mark = world.lines.last?.sequence ?? 0
        let reply = try world.type("read 1 /3/0")
        #expect(reply.lines == ["#2 Read /3/0 on \(ctIMEI): sent"])
        #expect(reply.operation == 2 && reply.datagrams.count == 1 && !reply.quit)
        world.run(until: 2_000)
        let get = try #require(world.platformRequests.last?.message)
        #expect(get.code == .get && get.uriPath == ["3", "0"] && get.accept == nil && get.observe == nil)
        let log = logged(world, after: mark)
        #expect(log.first == "#2 Read /3/0 on \(ctIMEI): 2.05 Content")
        #expect(log.contains(#"    /3/0/0 = "Quectel""#))
        #expect(log.contains(#"    /3/0/3 = "BC260YCNAAR01A02""#))
    }

    @Test func writeTextIsPlainTextAndTakesEffect() throws {
        let world = registeredWorld()
        let reply = try world.type(#"write \#(ctIMEI) /3/0/14 "+08:00""#)
        #expect(reply.lines == ["#2 Write /3/0/14 on \(ctIMEI): sent (text/plain, 6 bytes)"])
        world.run(until: 2_000)
        let put = try #require(world.platformRequests.last?.message)
        #expect(put.code == .put && put.uriPath == ["3", "0", "14"] && put.contentFormat == 0)
        #expect(put.payload == Array("+08:00".utf8))
        #expect(world.device.node.machine.objects.value(at: LwM2MPath(3, 0, 14)) == .string("+08:00"))
        #expect(world.texts.last == "#2 Write /3/0/14 on \(ctIMEI): 2.04 Changed")
    }

    @Test func writeHexToTheDownlinkResourceIsTLV() throws {
        let world = registeredWorld()
        let reply = try world.type("write 1 /19/1/0 0xA1b2")
        #expect(reply.lines == ["#2 Write /19/1/0 on \(ctIMEI): sent (application/vnd.oma.lwm2m+tlv, 6 bytes)"])
        world.run(until: 2_000)
        let put = try #require(world.platformRequests.last?.message)
        #expect(put.contentFormat == 11542)
        #expect(world.device.node.machine.objects.value(at: LwM2MPath(19, 1, 0, 0)) == .opaque([0xA1, 0xB2]))
        // A single resource takes the bytes bare.
        #expect(try PlatformCommand.write(endpoint: "1", path: "/19/1/0/0", value: "0x01").operation()
            == .write(LwM2MPath(19, 1, 0, 0), EncodedContent(format: .opaque, bytes: [1])))
    }

    @Test func execIsAPostWithItsArguments() throws {
        let world = registeredWorld()
        try world.type("exec 1 /3/0/4 0='now'")
        world.run(until: 2_000)
        let post = try #require(world.platformRequests.last?.message)
        #expect(post.code == .post && post.uriPath == ["3", "0", "4"] && post.payload == Array("0='now'".utf8))
        let answer = try #require(world.deviceAnswer(to: post)?.message.code)
        #expect(world.texts.last == "#2 Execute /3/0/4 on \(ctIMEI)" + (answer.isSuccess ? ": " : " failed: ") + PlatformLog.name(answer))
    }

    @Test func observeThenCancelUseOneToken() throws {
        let world = registeredWorld()
        try world.type("observe 1 /3/0/13")
        world.run(until: 2_000)
        let observe = try #require(world.platformRequests.last?.message)
        #expect(observe.observe == 0 && observe.uriPath == ["3", "0", "13"])
        #expect(world.platform.node.listLines(now: at(2_000))[0].contains("observing /19/0/0 (#1), /3/0/13 (#2)"))
        let reply = try world.type("cancel 1 /3/0/13")
        #expect(reply.lines == ["#3 Cancel observation /3/0/13 on \(ctIMEI): sent"])
        world.run(until: 3_000)
        let cancel = try #require(world.platformRequests.last?.message)
        #expect(cancel.observe == 1 && cancel.token == observe.token)
        #expect(world.texts.contains("#3 Cancel observation /3/0/13 on \(ctIMEI): 2.05 Content"))
        #expect(!world.platform.node.listLines(now: at(3_000))[0].contains("/3/0/13"))
        // Cancelling what is not observed still asks, and says so.
        let again = try world.type("cancel 1 /3/0/13")
        #expect(again.lines.first == "(no observation of /3/0/13 on \(ctIMEI) is known here; the client is asked anyway)")
    }

    @Test func discoverShowsLinks() throws {
        let world = registeredWorld()
        let mark = world.lines.last?.sequence ?? 0
        try world.type("discover 1 /3/0")
        world.run(until: 2_000)
        let get = try #require(world.platformRequests.last?.message)
        #expect(get.accept == 40 && get.uriPath == ["3", "0"])
        let log = logged(world, after: mark)
        #expect(log.first == "#2 Discover /3/0 on \(ctIMEI): 2.05 Content")
        #expect(log.contains("    </3/0/13>"))
    }

    @Test func attributesGoInTheQuery() throws {
        let world = registeredWorld()
        try world.type("attr 1 /19/0/0 pmin=10 pmax=60 gt")
        world.run(until: 2_000)
        let put = try #require(world.platformRequests.last?.message)
        #expect(put.code == .put && put.uriPath == ["19", "0", "0"] && put.uriQuery == ["pmin=10", "pmax=60", "gt"])
        #expect(put.payload.isEmpty)
        let answer = try #require(world.deviceAnswer(to: put)?.message.code)
        #expect(world.texts.last?.hasPrefix("#2 Write-Attributes /19/0/0?pmin=10&pmax=60&gt on \(ctIMEI)") == true)
        #expect(world.texts.last?.hasSuffix(PlatformLog.name(answer)) == true)
    }

    @Test func listHelpQuitAndMistakes() throws {
        let world = registeredWorld()
        let list = try world.type("list").lines
        #expect(list.count == 1)
        #expect(list[0].hasPrefix("1  \(ctIMEI)  \(deviceAddress)  lifetime 300 s (299 s left)  binding U  LwM2M 1.0"))
        #expect(list[0].hasSuffix("objects /1/0 /3/0 /4/0 /5/0 /19/0 /19/1  observing /19/0/0 (#1)"))
        #expect(try world.type("help").lines.first?.hasPrefix("list") == true)
        let quit = try world.type("quit")
        #expect(quit.quit && quit.datagrams.isEmpty)

        let sentBefore = world.network.log.count
        #expect(try world.type("read 2 /3/0").lines == ["no client '2' (type list to see them)"])
        #expect(try world.type("read nobody /3/0").lines == ["no client 'nobody' (type list to see them)"])
        #expect(try world.type("exec 1 /3/0").lines == ["exec: /3/0 is not a resource; give a path like /19/1/0"])
        #expect(try world.type("write 1 /3 x").lines == ["write: /3 is not a resource; give a path like /19/1/0"])
        #expect(try world.type("write 1 /19/1/0 0xABC").lines == ["'0xABC' is not hex bytes (0x followed by pairs of hex digits)"])
        #expect(world.network.log.count == sentBefore)

        let empty = PlatformWorld(profile: .generic, endpoint: ctIMEI)
        #expect(try empty.type("list").lines == ["no clients registered with LwM2M server at 127.0.0.1:5683"])
        #expect(try empty.type("read 1 /3/0").lines == ["no client '1' (none is registered)"])
    }

    @Test func aSleepingQueueModeClientGetsItsRequestLater() throws {
        var tree = deviceObjects(imei: ctIMEI, serverURI: "coap://127.0.0.1:5683")
        try tree.setValue(.string("UQ"), at: LwM2MPath(1, 0, 7))
        let world = PlatformWorld(profile: .generic, endpoint: ctIMEI, objects: tree) { config in
            config.binding = "UQ"
            config.awakeMilliseconds = 5_000
        }
        world.start()
        world.run(until: 200_000)
        let reply = try world.type("read 1 /3/0/0")
        #expect(reply.lines == ["#1 Read /3/0/0 on \(ctIMEI): held until \(ctIMEI) wakes"])
        #expect(reply.datagrams.isEmpty)
        #expect(world.texts.contains("#1 Read /3/0/0 for \(ctIMEI) held until it wakes (queue mode)"))
        // Its next Update wakes it: the read goes out and is answered.
        world.device.perform { node, now in node.command(now: now) { $0.update(now: now) } }
        world.run(until: 201_000)
        #expect(world.platformRequests.last?.message.uriPath == ["3", "0", "0"])
        #expect(world.texts.contains("#1 Read /3/0/0 on \(ctIMEI): 2.05 Content"))
    }

    @Test func lineStampsAndTaking() {
        let line = PlatformLine(sequence: 3, at: at(12_345), text: "hello")
        #expect(line.description == "[    12.345] hello")
        #expect(PlatformLine(sequence: 1, at: at(5), text: "x").description == "[     0.005] x")
        var log = PlatformLog(capacity: 3)
        #expect(!log.hasUntakenLines)
        log.append(["a", "b"], at: .zero)
        #expect(log.hasUntakenLines)
        #expect(log.take().map(\.text) == ["a", "b"])
        #expect(!log.hasUntakenLines)
        log.append(["c", "d", "e"], at: .zero)
        #expect(log.lines.map(\.text) == ["c", "d", "e"])
        #expect(log.take().map(\.text) == ["c", "d", "e"])
        #expect(log.take().isEmpty)
        #expect(log.lines(after: 4).map(\.text) == ["e"])
        #expect(log.lines(after: 0).map(\.text) == ["c", "d", "e"])
        #expect(log.lines(after: 5).isEmpty)
        #expect(log.upcomingSequence == 6)
    }

    @Test func aFullLogKeepsTheLastLinesAcrossManyAppends() {
        var log = PlatformLog(capacity: 4)
        for i in 1...23 {
            log.append("line \(i)", at: .zero)
            #expect(log.lines.map(\.sequence) == Array(max(1, i - 3)...i))
            if i % 5 == 0 { #expect(log.take().map(\.sequence) == Array(max(1, i - 3)...i)) }
        }
        #expect(log.take().map(\.sequence) == [21, 22, 23])
        #expect(log.lines(after: 21).map(\.text) == ["line 22", "line 23"])
        #expect(log.lines(after: nil).count == 4)
    }
}
