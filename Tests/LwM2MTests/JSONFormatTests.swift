import Testing
@testable import LwM2M

@Suite struct JSONFormatTests {
    // MARK: the JSON parser itself

    @Test func parsesAndSerializes() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null,"x\"y\\z\u00e9\ud83d\ude00"],"b":{}}"#
        let v = try JSONValue.parse(text)
        #expect(v["a"]?.arrayValue?.count == 6)
        #expect(v["a"]?.arrayValue?[1] == .number("-2.5e3"))
        #expect(v["a"]?.arrayValue?[5] == .string("x\"y\\zé😀"))
        #expect(try JSONValue.parse(v.serialized) == v)
        #expect(JSONValue.string("a\u{1}\n").serialized == #""a\u0001\n""#)
    }

    @Test(arguments: ["", "[", "{\"a\"}", "[1,]", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "[1] 2", "tru",
                      "{\"a\":1,}", "\"\u{1}\"", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: ContentError.self) { try JSONValue.parse(text) }
    }

    @Test func base64RoundTripsInBothAlphabets() {
        for n in 0..<20 {
            let b = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            #expect(Base64.decode(Base64.encode(b)) == b)
            #expect(Base64.decode(Base64.encode(b, urlSafe: true)) == b)
        }
        #expect(Base64.encode([1, 2, 3, 4, 5]) == "AQIDBAU=")
        #expect(Base64.encode([0xFB, 0xFF], urlSafe: true) == "-_8")
        #expect(Base64.decode("A") == nil)
        #expect(Base64.decode("AB*C") == nil)
    }

    // MARK: SenML JSON (LwM2M 1.1 §7.4.4)

    /// In the style of the 1.1 spec's Read /3/0 example.
    @Test func decodesSenMLDeviceRead() throws {
        let text = """
            [{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},
             {"n":"1","vs":"Lightweight M2M Client"},
             {"n":"6/0","v":1},{"n":"6/1","v":5},
             {"n":"9","v":100},{"n":"13","v":1367491215},
             {"n":"16","vs":"U"}]
            """
        let node = try SenMLJSON.decode(Array(text.utf8), at: LwM2MPath(3, 0), definition: .device)
        #expect(node == .instance(ObjectInstance(id: 0, resources: [
            .single(0, .string("Open Mobile Alliance")), .single(1, .string("Lightweight M2M Client")),
            .multiple(6, [0: .integer(1), 1: .integer(5)]), .single(9, .integer(100)),
            .single(13, .time(1367491215)), .single(16, .string("U")),
        ])))
    }

    @Test func senMLRoundTripsEveryType() throws {
        let def = TLVTests.allTypes
        let inst = ObjectInstance(id: 0, resources: [
            .single(0, .string("a\"b")), .single(1, .integer(-5)), .single(2, .unsignedInteger(UInt64.max)),
            .single(3, .float(2.5)), .single(4, .boolean(true)), .single(5, .opaque([0xFB, 0xFF, 0])),
            .single(6, .time(1_700_000_000)), .single(7, .objlnk(ObjectLink(objectID: 3, instanceID: 0))),
            .single(8, .corelnk("</1>")), .multiple(300, [0: .integer(1), 4: .integer(2)]),
        ])
        for (node, path) in [(LwM2MNode.instance(inst), LwM2MPath(1000, 0)),
                             (.object(id: 1000, instances: [inst]), LwM2MPath(1000)),
                             (.resource(.single(3, .float(-0.125))), LwM2MPath(1000, 0, 3)),
                             (.resource(.multiple(300, [7: .integer(9)])), LwM2MPath(1000, 0, 300)),
                             (.resourceInstance(id: 7, value: .integer(9)), LwM2MPath(1000, 0, 300, 7))] {
            let bytes = SenMLJSON.encode(node, at: path)
            #expect(try SenMLJSON.decode(bytes, at: path, definition: def) == node, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(String(decoding: SenMLJSON.encode(.resource(.single(9, .integer(100))), at: LwM2MPath(3, 0, 9)), as: UTF8.self)
                == #"[{"bn":"/3/0/9","v":100}]"#)
    }

    /// The Andlink uplink from the application note: `[{"n":"/19/1/0","vs":"..."}]`, no bn.
    @Test func senMLSendWithAbsoluteNames() throws {
        let text = #"[{"n":"/19/1/0","vs":"{\"k\":1}"},{"n":"/3/0/9","v":80}]"#
        let values = try SenMLJSON.decodeValues(Array(text.utf8), definitions: ObjectDefinition.standard)
        #expect(values.map(\.path) == [LwM2MPath(19, 1, 0), LwM2MPath(3, 0, 9)])
        #expect(values[0].value == .opaque(Array(#"{"k":1}"#.utf8)))
        #expect(values[1].value == .integer(80))
        // /19/x/0 is a multiple resource; Andlink names the resource, so read it leniently.
        let enc = SenMLJSON.encode(values: [(LwM2MPath(19, 0, 0, 0), .opaque([1, 2]))])
        #expect(String(decoding: enc, as: UTF8.self) == #"[{"n":"/19/0/0/0","vd":"AQI"}]"#)
    }

    @Test func senMLRejectsBadInput() {
        let cases = [
            #"{"bn":"/3/0/"}"#, #"[1]"#, #"[{"n":"x","v":1}]"#, #"[{"bn":"/3/0/","n":"9"}]"#,
            #"[{"bn":"/3/0/","n":"9","vs":"abc"}]"#, #"[{"bn":"/3/0/","n":"9","v":1},{"n":"9","v":2}]"#,
            #"[{"bn":"/4/0/","n":"9","v":1}]"#, #"[{"bn":"/3/0/","n":"13","vb":true}]"#,
            #"[{"bn":"/3/0/","n":"9","v":1.5}]"#, #"[{"bn":5,"n":"9","v":1}]"#,
        ]
        for c in cases {
            #expect(throws: ContentError.self, "\(c)") { try SenMLJSON.decode(Array(c.utf8), at: LwM2MPath(3, 0), definition: .device) }
        }
    }

    // MARK: LwM2M JSON (1.0 §6.4.4)

    /// The 1.0 spec's Read /3/0 example form.
    @Test func decodesLwM2MJSONDeviceRead() throws {
        let text = """
            {"bn":"/3/0/","e":[
            {"n":"0","sv":"Open Mobile Alliance"},{"n":"1","sv":"Lightweight M2M Client"},
            {"n":"2","sv":"345000123"},{"n":"3","sv":"1.0"},
            {"n":"6/0","v":1},{"n":"6/1","v":5},{"n":"7/0","v":3800},{"n":"7/1","v":5000},
            {"n":"8/0","v":125},{"n":"8/1","v":900},{"n":"9","v":100},{"n":"10","v":15},
            {"n":"11/0","v":0},{"n":"13","v":1367491215},{"n":"14","sv":"+02:00"},{"n":"16","sv":"U"}]}
            """
        let node = try LwM2MJSON.decode(Array(text.utf8), at: LwM2MPath(3, 0), definition: .device)
        #expect(node == .instance(TLVGoldenTests.deviceInstance))
        // And it encodes back to something that decodes the same.
        let again = LwM2MJSON.encode(node, at: LwM2MPath(3, 0))
        #expect(try LwM2MJSON.decode(again, at: LwM2MPath(3, 0), definition: .device) == node)
    }

    @Test func lwm2mJSONWithoutBaseNameAndOtherTypes() throws {
        let obj = ObjectDefinition(id: 66, name: "66", multipleInstances: true, resources: [
            .init(id: 0, name: "o", operations: .readWrite, type: .opaque),
            .init(id: 1, name: "b", operations: .readWrite, type: .boolean),
            .init(id: 2, name: "l", operations: .readWrite, type: .objlnk),
            .init(id: 3, name: "f", operations: .readWrite, type: .float),
        ])
        let text = #"{"e":[{"n":"0","sv":"AQIDBAU="},{"n":"1","bv":false},{"n":"2","ov":"67:0"},{"n":"3","v":-1.5e2}]}"#
        let node = try LwM2MJSON.decode(Array(text.utf8), at: LwM2MPath(66, 1), definition: obj)
        #expect(node == .instance(ObjectInstance(id: 1, resources: [
            .single(0, .opaque([1, 2, 3, 4, 5])), .single(1, .boolean(false)),
            .single(2, .objlnk(ObjectLink(objectID: 67, instanceID: 0))), .single(3, .float(-150)),
        ])))
        #expect(try LwM2MJSON.decode(LwM2MJSON.encode(node, at: LwM2MPath(66, 1)), at: LwM2MPath(66, 1), definition: obj) == node)
        // A single resource addressed directly.
        #expect(try LwM2MJSON.decode(Array(#"{"bn":"/3/0/9","e":[{"v":77}]}"#.utf8), at: LwM2MPath(3, 0, 9),
                                     definition: .device) == .resource(.single(9, .integer(77))))
    }

    @Test func lwm2mJSONRejectsBadInput() {
        for c in [#"[]"#, #"{"bn":"/3/0/"}"#, #"{"e":{}}"#, #"{"e":[{"n":"0"}]}"#, #"{"e":[{"n":"9","sv":"x"}]}"#,
                  #"{"e":[{"n":"9","v":"1"}]}"#, #"{"bn":"/5/0/","e":[{"n":"9","v":1}]}"#] {
            #expect(throws: ContentError.self, "\(c)") { try LwM2MJSON.decode(Array(c.utf8), at: LwM2MPath(3, 0), definition: .device) }
        }
    }
}
