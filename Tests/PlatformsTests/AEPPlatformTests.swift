import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

/// CT AEP (note 4.3.2): like CT IoT, but the endpoint must be `urn:imei-imsi:<IMEI>-<IMSI>`.
@Suite struct AEPPlatformTests {
    @Test func imeiImsiEndpointIsAcceptedAndObserved() throws {
        let world = PlatformWorld(profile: .ctAEP, endpoint: aepEndpoint)
        #expect(world.platform.address == PeerAddress(host: "221.229.214.202", port: 5683))
        world.start()
        world.run(until: 1_000)
        #expect(world.deviceEvents.contains(.registered(location: ["rd", "1"])))
        let sent = world.platformMessages
        #expect(sent.map(\.message.code) == [.created, .get])
        #expect(sent[1].at == at(50) && sent[1].message.uriPath == ["19", "0", "0"] && sent[1].message.observe == 0)
        #expect(world.texts.contains("#1 Observe /19/0/0 on \(aepEndpoint): 2.05 Content"))
    }

    @Test func bareIMEIIsRefusedWithForbidden() throws {
        let world = PlatformWorld(profile: .ctAEP, endpoint: ctIMEI)
        world.start()
        world.run(until: 1_000)
        let sent = world.platformMessages
        #expect(sent.count == 1)   // the refusal and nothing else: no Observe
        let refusal = try #require(sent.first?.message)
        #expect(refusal.type == .acknowledgement && refusal.code == .forbidden)
        #expect(String(decoding: refusal.payload, as: UTF8.self).contains("urn:imei-imsi:"))
        #expect(world.deviceEvents.contains(.registrationFailed(.response(.forbidden))))
        #expect(world.platform.node.server.directory.registrations.isEmpty)
        #expect(world.texts == ["refused registration of \(ctIMEI) from \(deviceAddress): 4.03 Forbidden "
            + "(AEP endpoint must be urn:imei-imsi:<IMEI 15 digits>-<IMSI 15 digits>, not \(ctIMEI))"])
    }

    @Test func aRetransmittedRefusedRegisterIsRefusedAgain() throws {
        // The refusal is lost once: the device's retransmission gets the same answer.
        let world = PlatformWorld(profile: .ctAEP, endpoint: ctIMEI)
        var dropped = false
        world.network.dropFilter = { d in
            guard !dropped, d.from == world.platform.address else { return false }
            dropped = true
            return true
        }
        world.start()
        world.run(until: 10_000)
        let refusals = world.platformMessages.filter { $0.message.code == .forbidden }
        #expect(refusals.count == 2)
        #expect(refusals[0].message.messageID == refusals[1].message.messageID)
        #expect(world.deviceEvents.contains(.registrationFailed(.response(.forbidden))))
    }

    @Test func missingEndpointIsABadRequest() throws {
        let world = PlatformWorld(profile: .ctAEP, endpoint: aepEndpoint)
        var register = Message(type: .confirmable, code: .post, messageID: 7, token: Token([1]) ?? .empty)
        register.uriPath = ["rd"]
        register.uriQuery = ["lt=300"]
        world.network.send([Datagram(register.encoded(), peer: world.platform.address)], from: deviceAddress)
        world.run(until: 1_000)
        #expect(world.platformMessages.map(\.message.code) == [.badRequest])
    }

    @Test func endpointNameForms() {
        #expect(AEPEndpointName(parsing: aepEndpoint) == AEPEndpointName(imei: ctIMEI, imsi: "460083513507314"))
        #expect(AEPEndpointName(parsing: "urn:imei-imsi:866971030603068-460111174747875")?.imsi == "460111174747875")
        #expect(AEPEndpointName(parsing: "URN:IMEI-IMSI:866971030603068-460111174747875") != nil)
        #expect(AEPEndpointName(imei: ctIMEI, imsi: "460083513507314")?.description == aepEndpoint)
        for bad in [ctIMEI, "urn:imei:867724030023557", "urn:imei-imsi:867724030023557",
                    "urn:imei-imsi:867724030023557-", "urn:imei-imsi:86772403002355-460083513507314",
                    "urn:imei-imsi:867724030023557-46008351350731x", "urn:imei-imsi:867724030023557-460083513507314-1",
                    "urn:imei-imsi:８67724030023557-460083513507314", ""] {
            #expect(AEPEndpointName(parsing: bad) == nil, "\(bad)")
        }
        #expect(PlatformProfile.ctAEP.endpointProblem(aepEndpoint) == nil)
        #expect(PlatformProfile.ctAEP.endpointProblem(ctIMEI) != nil)
        #expect(PlatformProfile.ctIoT.endpointProblem(ctIMEI) == nil)
        #expect(PlatformProfile.ctIoT.endpointProblem(aepEndpoint) == nil)
    }
}
