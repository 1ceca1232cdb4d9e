import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

/// CT IoT (note 4.2.2): the device registers with its IMEI; the platform observes /19/0/0 at
/// once and logs what the device reports there; a person can send downlink data to /19/1/0.
@Suite struct CTPlatformTests {
    @Test func registrationIsAcceptedAndDataObservedAtOnce() throws {
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI)
        #expect(world.platform.address == PeerAddress(host: "180.101.147.115", port: 5683))
        world.start()
        world.run(until: 1_000)

        let sent = world.platformMessages
        // The 2.01 and the Observe leave together, as soon as the Register (50 ms link) arrived.
        #expect(sent.count == 2)
        #expect(sent[0].at == at(50) && sent[0].message.code == .created)
        #expect(sent[0].message.locationPath.first == "rd")
        let observe = sent[1].message
        #expect(sent[1].at == at(50))
        #expect(observe.code == .get && observe.uriPath == ["19", "0", "0"] && observe.observe == 0)
        #expect(world.platform.node.server.registration(endpoint: ctIMEI) != nil)
        #expect(world.platform.node.machine.isWatchingData(of: ctIMEI))

        let texts = world.texts
        #expect(texts.first?.hasPrefix("registered \(ctIMEI) from \(deviceAddress): lifetime 300 s, binding U") == true)
        #expect(texts.contains("#1 Observe /19/0/0 on \(ctIMEI) (automatic, after registration)"))
        #expect(texts.contains("#1 Observe /19/0/0 on \(ctIMEI): 2.05 Content"))
        // The note's first value, 020001000400023238, shown as hex with its text tail.
        #expect(texts.contains("    /19/0/0/0 = 0x020001000400023238 (text \"28\")"))
        #expect(world.lines.first { $0.text.hasSuffix("2.05 Content") }?.at == at(150))
    }

    @Test func notificationsAreLoggedDecoded() {
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI)
        world.start()
        world.run(until: 1_000)
        world.changeUplink(hex("020001000400023438"))   // the note's AT+QLANOTIFY value
        world.run(until: 2_000)
        let texts = world.texts
        let at = try? #require(texts.firstIndex { $0.hasPrefix("notification #1 /19/0/0 from \(ctIMEI)") })
        #expect(at != nil)
        if let at { #expect(texts[at + 1] == "    /19/0/0/0 = 0x020001000400023438 (text \"48\")") }
    }

    @Test func downlinkIsAWriteOfTheBytesToObject19Instance1() throws {
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI)
        world.start()
        world.run(until: 1_000)
        let bytes: [UInt8] = [0xAA, 0x01, 0x02]
        world.platform.perform { node, now in node.sendDownlink(bytes, to: ctIMEI, now: now).1 }
        world.run(until: 2_000)
        let write = try #require(world.platformRequests.last?.message)
        #expect(write.code == .put && write.uriPath == ["19", "1", "0"])
        #expect(write.contentFormat == UInt32(ContentFormat.tlv.rawValue))
        #expect(write.payload == TLV.encode(.resource(.multiple(0, [0: .opaque(bytes)]))))
        #expect(world.deviceAnswer(to: write)?.message.code == .changed)
        #expect(world.device.node.machine.objects.value(at: LwM2MPath(19, 1, 0, 0)) == .opaque(bytes))
        #expect(world.texts.contains("#2 Write /19/1/0 on \(ctIMEI): 2.04 Changed"))
    }

    @Test func bareOpaqueDownlinkIsWhatAStrictClientRefuses() throws {
        // The opaque form is kept for modules that forward it to the TE; an LwM2M tree where
        // /19/1/0 is multiple refuses it, and the platform says so.
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI)
        world.start()
        world.run(until: 1_000)
        world.platform.perform { node, now in node.sendDownlink([1, 2], to: ctIMEI, format: .opaque, now: now).1 }
        world.run(until: 2_000)
        let write = try #require(world.platformRequests.last?.message)
        #expect(write.contentFormat == 42 && write.payload == [1, 2])
        let answer = try #require(world.deviceAnswer(to: write)?.message.code)
        #expect(world.texts.contains("#2 Write /19/1/0 on \(ctIMEI) failed: \(PlatformLog.name(answer))"))
    }

    @Test func dataAddedLaterIsObservedAfterTheUpdateThatAnnouncesIt() throws {
        var tree = ObjectTree(profile: ModuleProfile(imei: ctIMEI))
        tree.define(.binaryAppDataContainer)
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI, objects: tree)
        world.start()
        world.run(until: 1_000)
        // No /19/0 announced: nothing to observe.
        #expect(world.platformRequests.isEmpty)
        // AT+QLAADDOBJ=19,0,1,0 while registered: an Update with the new links.
        world.device.schedule(at: at(5_000)) { node, now in
            node.command(now: now) { c in
                c.modifyObjects(now: now) { try? $0.setInstance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([1])])]), of: 19) }
            }
        }
        world.run(until: 6_000)
        let observe = try #require(world.platformRequests.first)
        #expect(observe.message.uriPath == ["19", "0", "0"] && observe.message.observe == 0)
        #expect(observe.at == at(5_050))
        #expect(world.texts.contains("#1 Observe /19/0/0 on \(ctIMEI) (automatic, after update, /19/0/0 not observed)"))
        // A later Update with the observation up changes nothing.
        world.device.perform { node, now in node.command(now: now) { $0.update(now: now) } }
        world.run(until: 7_000)
        #expect(world.platformRequests.count == 1)
    }

    @Test func genericPlatformDoesNothingOnItsOwn() {
        let world = PlatformWorld(profile: .generic, endpoint: ctIMEI)
        #expect(world.platform.address == PeerAddress(host: "127.0.0.1", port: 5683))
        world.start()
        world.run(until: 5_000)
        #expect(world.platformMessages.map(\.message.code) == [.created])
        #expect(world.texts.count == 1)
    }
}
