// Stand-in for the native add-on (see package.json). The bot SDK imports these names when it loads; the
// interop tests use it without encryption, so only the plain identifier wrappers behave, and anything that
// would need real cryptography fails loudly rather than pretending.
"use strict";

class Identifier {
  constructor(value) {
    this.value = String(value);
  }
  toString() {
    return this.value;
  }
}
class UserId extends Identifier {}
class DeviceId extends Identifier {}
class RoomId extends Identifier {}

function unavailable(name) {
  return class {
    constructor() {
      throw new Error(`${name}: the native crypto add-on is stubbed in the Gatehouse interop harness`);
    }
    static async initialize() {
      throw new Error(`${name}: the native crypto add-on is stubbed in the Gatehouse interop harness`);
    }
  };
}

module.exports = {
  UserId,
  DeviceId,
  RoomId,
  OlmMachine: unavailable("OlmMachine"),
  Attachment: unavailable("Attachment"),
  EncryptedAttachment: unavailable("EncryptedAttachment"),
  EncryptionSettings: unavailable("EncryptionSettings"),
  DeviceLists: unavailable("DeviceLists"),
  StoreType: { Sled: 0, Sqlite: 1 },
};
