import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

/// CM Andlink (note 4.4.2): bootstrap hands out the working server (binding U); after Register
/// the platform reads /19/1/0, then writes {"outletStatus":"1"} there as text; the device's
/// Sends on /dp are accepted and decoded.
@Suite struct AndlinkPlatformTests {
    /// The 112 bytes of the note's AT+QLASENDATA, joined from its wrapped lines.
    static let noteSend = hex(
        "5b7b226e223a222f31392f312f30222c227673223a227b5c226f75746c657"
        + "45374617475735c223a5c22305c222c5c2273657454696d655c223a5c22315c222c5c226669726d7761"
        + "72655c223a5c22312e305c222c5c22736f667456657273696f6e5c223a5c22312e305c227d227d5d")

    @Test func bootstrapRegisterReadThenWrite() throws {
        let world = PlatformWorld(profile: .andlink, endpoint: andlinkIMEI)
        let home = PeerAddress(host: "lwm.home.komect.com", port: 5683)
        #expect(world.platform.address == home)
        world.start()
        world.run(until: 2_000)

        // Bootstrap: the usual account writes, the working server being this same address.
        let requests = world.platformRequests
        #expect(requests.map { "\($0.message.code) \($0.message.path)" }
            == ["0.04 /0", "0.04 /1", "0.03 /0/1", "0.03 /1/0", "0.02 /bs", "0.01 /19/1/0", "0.03 /19/1/0"])
        #expect(world.deviceEvents.contains(.bootstrapFinished(server: home)))
        #expect(world.device.node.machine.objects.value(at: LwM2MPath(1, 0, 7)) == .string("U"))
        #expect(world.device.node.machine.server == home)
        let register = try #require(world.deviceMessages.first { $0.message.uriPath == ["rd"] })
        #expect(register.message.uriQuery.contains("ep=\(andlinkIMEI)"))

        // The read leaves with the 2.01, the write once the read's answer is in.
        let read = requests[5], write = requests[6]
        let created = try #require(world.platformMessages.first { $0.message.code == .created })
        #expect(read.at == created.at)
        #expect(read.message.accept == nil)
        let readAnswer = try #require(world.deviceAnswer(to: read.message))
        #expect(readAnswer.message.code == .content)
        #expect(write.at == readAnswer.at + 50)
        #expect(write.message.contentFormat == 0)
        #expect(write.message.payload == Array(#"{"outletStatus":"1"}"#.utf8))

        let texts = world.texts
        #expect(texts.contains("bootstrap request from \(andlinkIMEI) at \(deviceAddress)"))
        #expect(texts.contains("bootstrap of \(andlinkIMEI) finished"))
        #expect(texts.contains("#1 Read /19/1/0 on \(andlinkIMEI) (automatic, after registration)"))
        #expect(texts.contains("    /19/1/0/0 = 0x7B226F75746C6574537461747573223A2230227D \"{\"outletStatus\":\"0\"}\""))
        #expect(texts.contains("#2 Write /19/1/0 on \(andlinkIMEI) (automatic, after reading /19/1/0)"))
        // Whatever the device made of the text write, the log says it.
        let writeAnswer = try #require(world.deviceAnswer(to: write.message)?.message.code)
        let outcome = writeAnswer.isSuccess ? ": \(PlatformLog.name(writeAnswer))" : " failed: \(PlatformLog.name(writeAnswer))"
        #expect(texts.contains("#2 Write /19/1/0 on \(andlinkIMEI)\(outcome)"))
    }

    @Test func theNotesSendIsAcceptedAndDecoded() throws {
        #expect(Self.noteSend.count == 112)
        let world = PlatformWorld(profile: .andlink, endpoint: andlinkIMEI)
        world.start()
        world.run(until: 2_000)
        // As the SDK sends QLASENDDATA: POST /dp?ep=<IMEI>, 11543.
        world.device.perform { node, now in
            node.command(now: now) { $0.send(content: EncodedContent(format: .lwm2mJSON, bytes: Self.noteSend),
                                             query: ["ep=\(andlinkIMEI)"], now: now).1 }
        }
        world.run(until: 3_000)
        let post = try #require(world.deviceMessages.last { $0.message.uriPath == ["dp"] })
        #expect(post.message.contentFormat == 11543)
        #expect(world.platformAnswer(to: post.message)?.message.code == .changed)
        #expect(world.deviceEvents.contains { if case .sendCompleted = $0 { true } else { false } })
        let texts = world.texts
        let start = try #require(texts.firstIndex(of: "Send from \(andlinkIMEI) (application/vnd.oma.lwm2m+json, 112 bytes)"))
        #expect(Array(texts[(start + 1)...].prefix(5)) == [
            #"    /19/1/0 = "{"outletStatus":"0","setTime":"1","firmware":"1.0","softVersion":"1.0"}""#,
            #"        outletStatus = "0""#,
            #"        setTime = "1""#,
            #"        firmware = "1.0""#,
            #"        softVersion = "1.0""#,
        ])
    }

    @Test func plainSenMLSendIsAcceptedToo() throws {
        let world = PlatformWorld(profile: .andlink, endpoint: andlinkIMEI)
        world.start()
        world.run(until: 2_000)
        // LwM2M 1.1's Send: POST /dp, SenML JSON (110), no query.
        world.device.perform { node, now in node.command(now: now) { $0.send(LwM2MPath(3, 0, 0), now: now).1 } }
        world.run(until: 3_000)
        let post = try #require(world.deviceMessages.last { $0.message.uriPath == ["dp"] })
        #expect(post.message.contentFormat == 110 && post.message.uriQuery.isEmpty)
        #expect(world.platformAnswer(to: post.message)?.message.code == .changed)
        let texts = world.texts
        let start = try #require(texts.firstIndex { $0.hasPrefix("Send from \(andlinkIMEI) (application/senml+json") })
        #expect(texts[start + 1] == #"    /3/0/0 = "Quectel""#)
    }

    @Test func sendWithEpFromAnUnknownPeerIsTakenAndSaidSo() throws {
        let world = PlatformWorld(profile: .andlink, endpoint: andlinkIMEI)
        var post = Message(type: .confirmable, code: .post, messageID: 9, token: Token([7]) ?? .empty)
        post.uriPath = ["dp"]
        post.uriQuery = ["ep=stranger"]
        post.contentFormat = 11543
        post.payload = Array(#"[{"n":"/19/1/0","vs":"x"}]"#.utf8)
        world.network.send([Datagram(post.encoded(), peer: world.platform.address)], from: PeerAddress(host: "10.9.9.9", port: 1))
        world.run(until: 1_000)
        #expect(world.platformMessages.map(\.message.code) == [.changed])
        #expect(world.texts == ["Send from stranger (not registered) (application/vnd.oma.lwm2m+json, 26 bytes)", #"    /19/1/0 = "x""#])
    }

    @Test func noWriteWhenTheReadFails() throws {
        // /19/1 exists but holds no resource 0: the read fails and the platform stops there.
        var tree = deviceObjects(imei: andlinkIMEI, serverURI: "coap://lwm.home.komect.com:5683", bootstrap: true)
        try tree.setInstance(ObjectInstance(id: 1, resources: [.single(1, .integer(0))]), of: 19)
        let world = PlatformWorld(profile: .andlink, endpoint: andlinkIMEI, objects: tree)
        world.start()
        world.run(until: 3_000)
        let after = world.platformRequests.drop { $0.message.path != "/19/1/0" }
        #expect(after.map(\.message.code) == [.get])
        #expect(world.texts.contains("#1 Read /19/1/0 on \(andlinkIMEI) failed: 4.04 Not Found"))
    }
}
