import CoAP
import Testing
@testable import LwM2M

@Suite struct ObjectTreeTests {
    static func module() -> ObjectTree {
        var p = ModuleProfile(imei: "866123456789012", serialNumber: "SN0001")
        p.deviceType = "500677"
        p.lifetime = 300
        p.ipAddress = "10.177.135.245"
        return ObjectTree(profile: p)
    }

    @Test func defaultTreeRegistersItsInstances() throws {
        var tree = Self.module()
        #expect(LinkFormat.encode(tree.registrationLinks()) == "</1/0>,</3/0>,</4/0>,</5/0>")
        tree.define(.forAddedObject(id: 19, resourceIDs: [0]))
        _ = try tree.create(in: 19, ObjectInstance(id: 0, resources: [.multiple(0, [:])]))
        _ = try tree.create(in: 19, ObjectInstance(id: 1, resources: [.multiple(0, [:])]))
        tree.define(.custom(id: 3303, resourceIDs: [5700]))
        #expect(String(decoding: tree.registrationPayload(rootType: true), as: UTF8.self)
                == #"</>;rt="oma.lwm2m",</1/0>,</3/0>,</4/0>,</5/0>,</19/0>,</19/1>,</3303>"#)
    }

    /// The cheap comparison the client makes after every change agrees with comparing the
    /// links themselves, over a random walk of changes that do and do not touch them.
    @Test func sameRegistrationLinksAgreesWithTheLinks() throws {
        var rng = SplitMix64(seed: 7)
        var tree = Self.module()
        var agreed = 0, differed = 0
        for _ in 0..<400 {
            let before = tree
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: tree.define(.forAddedObject(id: 19, resourceIDs: [0]))
            case 1: _ = try? tree.create(in: 19, ObjectInstance(id: UInt16.random(in: 0...3, using: &rng), resources: [.multiple(0, [:])]))
            case 2: _ = tree.removeInstance(19, UInt16.random(in: 0...3, using: &rng))
            case 3: tree.removeObject(19)
            case 4: try? tree.setValue(.integer(Int64.random(in: 0...9, using: &rng)), at: LwM2MPath(1, 0, 1))
            case 5: var d = ObjectDefinition.custom(id: 3303, resourceIDs: [5700]); d.version = Bool.random(using: &rng) ? "1.1" : nil; tree.define(d)
            default: _ = tree.removeInstance(0, 0)  // /0 is never in the links
            }
            let same = tree.registrationLinks() == before.registrationLinks()
            #expect(tree.hasSameRegistrationLinks(as: before) == same, "\(LinkFormat.encode(before.registrationLinks())) → \(LinkFormat.encode(tree.registrationLinks()))")
            if same { agreed += 1 } else { differed += 1 }
        }
        #expect(agreed > 50 && differed > 50, "both kinds of change: \(agreed) same, \(differed) changed")
    }

    @Test func readsTheDeviceAsTLV() throws {
        let tree = Self.module()
        let content = try tree.read(LwM2MPath(3, 0), accept: nil)
        #expect(content.format == .tlv)
        let back = try TLV.decode(content.bytes, at: LwM2MPath(3, 0), definition: .device)
        guard case .instance(let inst) = back else { Issue.record("not an instance"); return }
        #expect(inst[0]?.singleValue == .string("Quectel"))
        #expect(inst[1]?.singleValue == .string("BC260Y-CN"))
        #expect(inst[2]?.singleValue == .string("SN0001"))
        #expect(inst[3]?.singleValue == .string("BC260YCNAAR01A02"))
        #expect(inst[16]?.singleValue == .string("UQ"))
        #expect(inst[17]?.singleValue == .string("500677"))
        #expect(try tree.read(LwM2MPath(3, 0, 1), accept: nil) == EncodedContent(format: .textPlain, bytes: Array("BC260Y-CN".utf8)))
        #expect(try tree.read(LwM2MPath(4, 0, 0), accept: nil).bytes == Array("7".utf8))
        #expect(try tree.read(LwM2MPath(1, 0, 1), accept: .senmlJSON).bytes == Array(#"[{"bn":"/1/0/1","v":300}]"#.utf8))
        #expect(try tree.read(LwM2MPath(4, 0, 4, 0), accept: nil).bytes == Array("10.177.135.245".utf8))
    }

    @Test func readErrorsMapToCoAPCodes() {
        let tree = Self.module()
        func code(_ path: LwM2MPath, _ accept: ContentFormat? = nil) -> Code? {
            do { _ = try tree.read(path, accept: accept); return nil } catch { return error.code }
        }
        #expect(code(LwM2MPath(9)) == .notFound)
        #expect(code(LwM2MPath(3, 1)) == .notFound)
        #expect(code(LwM2MPath(3, 0, 12)) == .methodNotAllowed)  // Reset Error Code is E
        #expect(code(LwM2MPath(3, 0, 4)) == .methodNotAllowed)   // Reboot
        #expect(code(LwM2MPath(5, 0, 0)) == .methodNotAllowed)   // Package is W only
        #expect(code(LwM2MPath(3, 0, 18)) == .notFound)           // defined but no value
        #expect(code(LwM2MPath(3, 0), .textPlain) == .notAcceptable)
        #expect(code(LwM2MPath(3, 0, 0), .opaque) == .notAcceptable)
        #expect(code(LwM2MPath(0, 0)) == .unauthorized)
        #expect(code(.root) == .methodNotAllowed)
        #expect(OperationError.unsupportedContentFormat(.senmlCBOR).code == .unsupportedContentFormat)
        #expect(ObjectTree.Operation.create.successCode == .created)
        #expect(ObjectTree.Operation.delete.successCode == .deleted)
        #expect(ObjectTree.Operation.write.successCode == .changed)
    }

    @Test func writeReplaceVersusPartialUpdate() throws {
        var tree = Self.module()
        try tree.write(LwM2MPath(1, 0), .instance(ObjectInstance(id: 0, resources: [.single(2, .integer(10)), .single(3, .integer(60))])),
                       mode: .partialUpdate)
        // Partial update keeps the rest.
        #expect(tree.value(at: LwM2MPath(1, 0, 1)) == .integer(300))
        #expect(tree.value(at: LwM2MPath(1, 0, 2)) == .integer(10))
        // Replace: optional writable resources left out are removed; mandatory ones stay.
        let payload = TLV.encode(.instance(ObjectInstance(id: 0, resources: [.single(1, .integer(600)), .single(3, .integer(90))])))
        try tree.write(LwM2MPath(1, 0), EncodedContent(format: .tlv, bytes: payload), mode: .replace)
        #expect(tree.value(at: LwM2MPath(1, 0, 1)) == .integer(600))
        #expect(tree.value(at: LwM2MPath(1, 0, 2)) == nil)
        #expect(tree.value(at: LwM2MPath(1, 0, 3)) == .integer(90))
        #expect(tree.value(at: LwM2MPath(1, 0, 7)) == .string("U"))
        #expect(tree.value(at: LwM2MPath(1, 0, 0)) == .integer(123))
        // Text write of one resource.
        try tree.write(LwM2MPath(1, 0, 7), EncodedContent(format: .textPlain, bytes: Array("UQ".utf8)), mode: .replace)
        #expect(tree.value(at: LwM2MPath(1, 0, 7)) == .string("UQ"))
    }

    @Test func writeOnMultipleResources() throws {
        var tree = Self.module()
        tree.define(.binaryAppDataContainer)
        _ = try tree.create(in: 19, ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([1]), 1: .opaque([2])])]))
        try tree.write(LwM2MPath(19, 0, 0), .resource(.multiple(0, [5: .opaque([5])])), mode: .partialUpdate)
        #expect(tree.resource(at: LwM2MPath(19, 0, 0))?.sortedInstances.map(\.id) == [0, 1, 5])
        try tree.write(LwM2MPath(19, 0, 0), .resource(.multiple(0, [7: .opaque([7])])), mode: .replace)
        #expect(tree.resource(at: LwM2MPath(19, 0, 0))?.sortedInstances.map(\.id) == [7])
        try tree.write(LwM2MPath(19, 0, 0, 7), EncodedContent(format: .opaque, bytes: [0xAA]), mode: .replace)
        #expect(tree.value(at: LwM2MPath(19, 0, 0, 7)) == .opaque([0xAA]))
        // A single value for a multiple resource is refused.
        #expect(throws: OperationError.badRequest("/19/0/0 is a multiple resource")) {
            try tree.write(LwM2MPath(19, 0, 0), .resource(.single(0, .opaque([1]))), mode: .replace)
        }
    }

    @Test func writeErrorsLeaveTheTreeUnchanged() throws {
        var tree = Self.module()
        let before = tree
        // One good resource and one read-only one: 4.05, nothing written.
        let node = LwM2MNode.instance(ObjectInstance(id: 0, resources: [.single(1, .integer(1000)), .single(0, .integer(9))]))
        #expect(throws: OperationError.methodNotAllowed(LwM2MPath(1, 0, 0))) { try tree.write(LwM2MPath(1, 0), node, mode: .partialUpdate) }
        #expect(tree == before)
        #expect(throws: OperationError.notFound(LwM2MPath(1, 0, 99))) {
            try tree.write(LwM2MPath(1, 0, 99), .resource(.single(99, .integer(1))), mode: .replace)
        }
        #expect(throws: OperationError.notFound(LwM2MPath(1, 7))) {
            try tree.write(LwM2MPath(1, 7), .instance(ObjectInstance(id: 7)), mode: .replace)
        }
        // Wrong type, malformed payload, unsupported format, payload for another path.
        #expect(throws: OperationError.self) { try tree.write(LwM2MPath(1, 0, 1), .resource(.single(1, .string("x"))), mode: .replace) }
        #expect(throws: OperationError.self) { try tree.write(LwM2MPath(1, 0), EncodedContent(format: .tlv, bytes: [0xC8, 1, 9]), mode: .replace) }
        #expect(throws: OperationError.unsupportedContentFormat(.senmlCBOR)) {
            try tree.write(LwM2MPath(1, 0, 1), EncodedContent(format: .senmlCBOR, bytes: [0]), mode: .replace)
        }
        #expect(throws: OperationError.self) { try tree.write(LwM2MPath(1, 0, 2), .resource(.single(3, .integer(1))), mode: .replace) }
        #expect(throws: OperationError.methodNotAllowed(LwM2MPath(1))) { try tree.write(LwM2MPath(1), .object(id: 1, instances: []), mode: .replace) }
        #expect(throws: OperationError.unauthorized) { try tree.write(LwM2MPath(0, 0, 0), .resource(.single(0, .string("coap://x"))), mode: .replace) }
        #expect(tree == before)
    }

    @Test func bootstrapWritesSecurityAndCreatesInstances() throws {
        var tree = Self.module()
        let server = ObjectInstance.server(id: 1, shortServerID: 2, lifetime: 60)
        try tree.write(LwM2MPath(1, 1), .instance(server), mode: .replace, access: .bootstrap)
        #expect(tree.value(at: LwM2MPath(1, 1, 1)) == .integer(60))
        try tree.write(LwM2MPath(0, 0, 0), .resource(.single(0, .string("coaps://h:5684"))), mode: .replace, access: .bootstrap)
        #expect(tree.value(at: LwM2MPath(0, 0, 0)) == .string("coaps://h:5684"))
        #expect(try tree.read(LwM2MPath(0, 0, 0), access: .bootstrap) == .resource(.single(0, .string("coaps://h:5684"))))
        try tree.delete(.root, access: .bootstrap)
        #expect(tree.instanceIDs(of: 1).isEmpty)
        #expect(tree.instanceIDs(of: 3) == [0])
    }

    @Test func createAndDeleteInstances() throws {
        var tree = Self.module()
        tree.define(.binaryAppDataContainer)
        // Bare resources: the client picks the lowest free id.
        let bare = TLV.encode(.instance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([1])]), .single(1, .integer(2))])))
        #expect(try tree.create(in: 19, EncodedContent(format: .tlv, bytes: bare)) == LwM2MPath(19, 0))
        #expect(try tree.create(in: 19, EncodedContent(format: .tlv, bytes: bare)) == LwM2MPath(19, 1))
        // Named instance.
        let named = TLV.encode(.object(id: 19, instances: [ObjectInstance(id: 9, resources: [.multiple(0, [:])])]))
        #expect(try tree.create(in: 19, EncodedContent(format: .tlv, bytes: named)) == LwM2MPath(19, 9))
        #expect(throws: OperationError.badRequest("/19/9 exists")) { try tree.create(in: 19, EncodedContent(format: .tlv, bytes: named)) }
        // Mandatory Data missing.
        #expect(throws: OperationError.badRequest("mandatory resource 0 missing")) {
            try tree.create(in: 19, ObjectInstance(id: 4, resources: [.single(1, .integer(1))]))
        }
        // Single-instance object with an instance already.
        #expect(throws: OperationError.self) { try tree.create(in: 3, ObjectInstance(id: 1)) }
        #expect(throws: OperationError.notFound(LwM2MPath(77))) { try tree.create(in: 77, nil) }
        #expect(tree.instanceIDs(of: 19) == [0, 1, 9])
        try tree.delete(LwM2MPath(19, 1))
        #expect(tree.instanceIDs(of: 19) == [0, 9])
        #expect(try tree.create(in: 19, ObjectInstance(id: tree.lowestFreeID(19), resources: [.multiple(0, [:])])) == LwM2MPath(19, 1))
        #expect(throws: OperationError.notFound(LwM2MPath(19, 5))) { try tree.delete(LwM2MPath(19, 5)) }
        #expect(throws: OperationError.methodNotAllowed(LwM2MPath(19, 0, 0))) { try tree.delete(LwM2MPath(19, 0, 0)) }
        #expect(throws: OperationError.methodNotAllowed(LwM2MPath(3, 0))) { try tree.delete(LwM2MPath(3, 0)) }
        #expect(throws: OperationError.unauthorized) { try tree.delete(LwM2MPath(0, 0)) }
    }

    @Test func executeChecks() throws {
        let tree = Self.module()
        try tree.checkExecute(LwM2MPath(3, 0, 4))
        try tree.checkExecute(LwM2MPath(1, 0, 8))
        try tree.checkExecute(LwM2MPath(5, 0, 2))
        #expect(throws: OperationError.methodNotAllowed(LwM2MPath(3, 0, 0))) { try tree.checkExecute(LwM2MPath(3, 0, 0)) }
        #expect(throws: OperationError.notFound(LwM2MPath(3, 0, 99))) { try tree.checkExecute(LwM2MPath(3, 0, 99)) }
        #expect(throws: OperationError.notFound(LwM2MPath(3, 1, 4))) { try tree.checkExecute(LwM2MPath(3, 1, 4)) }
        #expect(throws: OperationError.methodNotAllowed(LwM2MPath(3, 0))) { try tree.checkExecute(LwM2MPath(3, 0)) }
    }

    @Test func discoverListsAttributesAndDimensions() throws {
        var tree = Self.module()
        try tree.writeAttributes(LwM2MPath(3), query: ["pmin=10"])
        try tree.writeAttributes(LwM2MPath(3, 0), query: ["pmax=60"])
        try tree.writeAttributes(LwM2MPath(3, 0, 11), query: ["gt=50", "lt=42.2"])
        let object = LinkFormat.encode(try tree.discover(LwM2MPath(3)))
        #expect(object == "</3>;pmin=10,</3/0>;pmax=60,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/5>,"
                + "</3/0/11>;dim=1;gt=50;lt=42.2,</3/0/12>,</3/0/13>,</3/0/14>,</3/0/16>,</3/0/17>")
        let instance = LinkFormat.encode(try tree.discover(LwM2MPath(3, 0)))
        #expect(instance.hasPrefix("</3/0>;pmax=60,</3/0/0>,"))
        // A resource shows what it inherits from its instance and object.
        #expect(LinkFormat.encode(try tree.discover(LwM2MPath(3, 0, 11))) == "</3/0/11>;dim=1;pmin=10;pmax=60;gt=50;lt=42.2")
        #expect(tree.effectiveAttributes(LwM2MPath(3, 0, 11)) ==
                NotificationAttributes(pmin: 10, pmax: 60, greaterThan: 50, lessThan: 42.2))
        // A bare name clears; unknown names and bad values are 4.00; absent paths 4.04.
        try tree.writeAttributes(LwM2MPath(3, 0), query: ["pmax"])
        #expect(tree.attributes[LwM2MPath(3, 0)] == nil)
        #expect(throws: OperationError.self) { try tree.writeAttributes(LwM2MPath(3, 0), query: ["foo=1"]) }
        #expect(throws: OperationError.self) { try tree.writeAttributes(LwM2MPath(3, 0), query: ["pmin=-1"]) }
        #expect(throws: OperationError.self) { try tree.writeAttributes(LwM2MPath(3, 0, 9), query: ["st=1", "lt=1", "gt=2"]) }
        #expect(throws: OperationError.notFound(LwM2MPath(3, 0, 18))) { try tree.writeAttributes(LwM2MPath(3, 0, 18), query: ["pmin=1"]) }
        #expect(throws: OperationError.notFound(LwM2MPath(3, 2))) { try tree.discover(LwM2MPath(3, 2)) }
    }

    @Test func localAccessBypassesRightsButKeepsTypes() throws {
        var tree = Self.module()
        try tree.setValue(.string("600000"), at: LwM2MPath(3, 0, 17))   // cfg_res
        #expect(tree.value(at: LwM2MPath(3, 0, 17)) == .string("600000"))
        try tree.setValue(.integer(1_700_000_000), at: LwM2MPath(3, 0, 13))  // integer into a time
        #expect(tree.value(at: LwM2MPath(3, 0, 13)) == .time(1_700_000_000))
        try tree.setValue(.string("42"), at: LwM2MPath(3, 0, 9))  // text parsed for an integer
        #expect(tree.value(at: LwM2MPath(3, 0, 9)) == .integer(42))
        try tree.setValue(.integer(3), at: LwM2MPath(3, 0, 11, 1))
        #expect(tree.resource(at: LwM2MPath(3, 0, 11))?.sortedInstances.map(\.id) == [0, 1])
        #expect(throws: OperationError.self) { try tree.setValue(.string("x"), at: LwM2MPath(3, 0, 9)) }
        #expect(throws: OperationError.notFound(LwM2MPath(3, 4))) { try tree.setValue(.integer(1), at: LwM2MPath(3, 4, 9)) }
        tree.removeValue(at: LwM2MPath(3, 0, 11, 1))
        #expect(tree.resource(at: LwM2MPath(3, 0, 11))?.sortedInstances.map(\.id) == [0])
        tree.removeObject(3)
        #expect(tree.definition(3) == nil)
    }

    @Test func customObjectsTakeAnyValue() throws {
        var tree = Self.module()
        tree.define(.custom(id: 3303, resourceIDs: [5700, 5701]))
        #expect(tree.definition(3303)?.isCustom == true)
        #expect(ObjectDefinition.device.isCustom == false)
        _ = try tree.create(in: 3303, ObjectInstance(id: 0))
        try tree.write(LwM2MPath(3303, 0, 5700), EncodedContent(format: .textPlain, bytes: Array("21.5".utf8)), mode: .replace)
        #expect(tree.value(at: LwM2MPath(3303, 0, 5700)) == .opaque(Array("21.5".utf8)))
        try tree.checkExecute(LwM2MPath(3303, 0, 5701))
        // A known object added at runtime keeps its own types for the ids given.
        let d = ObjectDefinition.forAddedObject(id: 19, resourceIDs: [0, 42])
        #expect(d[0]?.multiple == true && d[0]?.type == .opaque)
        #expect(d[1] == nil)
        #expect(d[42]?.type == .opaque)
    }
}
