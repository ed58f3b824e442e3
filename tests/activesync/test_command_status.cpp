// The per-command Status tables (specs/activesync-command-status.json, generated into
// oxwire/gen/activesync/status.hpp): values the spec gives, the (command, value) lookup, the
// generated enums agreeing with the rows, and the table's keys being unique.
#include <oxwire/gen/activesync/status.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/requirements.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace test_command_status {

namespace gen = oxwire::gen::activesync;

// The row of (command, enumerator), or nullptr: the enum's value looked up under its table key.
template <class E>
const gen::command_status_entry* row_of(std::string_view command, E e) {
  return gen::find_command_status(command, static_cast<std::uint8_t>(e));
}

TEST(CommandStatus, ValuesTheSpecGives) {
  // MS-ASCMD 2.2.3.177.17: Sync 3 invalid synchronization key.
  OXWIRE_REQ("MS-ASCMD_R4424");
  EXPECT_EQ(static_cast<int>(gen::SyncStatus::InvalidSyncKey), 3);
  // MS-ASCMD 2.2.3.177.5: FolderSync 9 synchronization key mismatch or invalid.
  OXWIRE_REQ("MS-ASCMD_R4082");
  EXPECT_EQ(static_cast<int>(gen::FolderSyncStatus::InvalidSyncKey), 9);
  // MS-ASCMD 2.2.3.177.11: Ping 7 folder hierarchy sync required.
  OXWIRE_REQ("MS-ASCMD_R4256");
  EXPECT_EQ(static_cast<int>(gen::PingStatus::FolderSyncRequired), 7);
  // MS-ASPROV 2.2.2.54.2: Provision 2 protocol error.
  OXWIRE_REQ("MS-ASPROV_R395");
  EXPECT_EQ(static_cast<int>(gen::ProvisionStatus::ProtocolError), 2);
  // MS-ASPROV 2.2.2.54.1: Policy 5 the client acknowledged the wrong policy key.
  OXWIRE_REQ("MS-ASPROV_R382");
  EXPECT_EQ(static_cast<int>(gen::ProvisionPolicyStatus::WrongPolicyKey), 5);
  // MS-ASCMD 2.2.3.177.10: MoveItems 3 is success (1 and 2 are failures).
  OXWIRE_REQ("MS-ASCMD_R4215", "MS-ASCMD_R4206");
  EXPECT_EQ(static_cast<int>(gen::MoveItemsStatus::Success), 3);
  EXPECT_EQ(static_cast<int>(gen::MoveItemsStatus::InvalidSource), 1);
  // MS-ASCMD 2.2.3.177.12: Availability 162 temporary free/busy failure.
  OXWIRE_REQ("MS-ASCMD_R4295");
  EXPECT_EQ(static_cast<int>(gen::ResolveRecipientsAvailabilityStatus::TemporaryFailure), 162);
  // MS-ASCMD 2.2.3.177.8: ItemOperations 15 attachment or attachment ID invalid.
  OXWIRE_REQ("MS-ASCMD_R4166");
  EXPECT_EQ(static_cast<int>(gen::ItemOperationsStatus::InvalidAttachment), 15);
}

TEST(CommandStatus, LookupByCommandAndValue) {
  const auto* sync3 = gen::find_command_status("Sync", 3);
  ASSERT_NE(sync3, nullptr);
  EXPECT_EQ(sync3->name, "InvalidSyncKey");
  EXPECT_EQ(sync3->section, "MS-ASCMD 2.2.3.177.17");
  EXPECT_EQ(sync3->versions, 0x7F);  // no version restriction
  const auto* policy = gen::find_command_status("Provision.Policy", 3);
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->name, "UnknownPolicyType");
  EXPECT_EQ(policy->section, "MS-ASPROV 2.2.2.54.1");
  // The same value means different things in different tables.
  EXPECT_EQ(gen::find_command_status("ResolveRecipients.Response", 2)->name, "Ambiguous");
  EXPECT_EQ(gen::find_command_status("FolderCreate", 2)->name, "FolderExists");
  // Find exists from 16.1 only: bit 6 of protocol_versions.
  ASSERT_NE(gen::find_command_status("Find", 4), nullptr);
  EXPECT_EQ(gen::find_command_status("Find", 4)->versions, 1u << 6);
  EXPECT_EQ(gen::protocol_versions[6], "16.1");
  // Values a table does not list, and unknown tables, are not found.
  EXPECT_EQ(gen::find_command_status("Sync", 2), nullptr);
  EXPECT_EQ(gen::find_command_status("FolderSync", 2), nullptr);
  EXPECT_EQ(gen::find_command_status("SendMail", 1), nullptr);  // common statuses only
  EXPECT_EQ(gen::find_command_status("sync", 3), nullptr);      // keys are case-sensitive
}

TEST(CommandStatus, EnumsAgreeWithRows) {
  const std::pair<const gen::command_status_entry*, std::string_view> cases[] = {
      {row_of("Sync", gen::SyncStatus::Retry), "Retry"},
      {row_of("FolderUpdate", gen::FolderUpdateStatus::RecipientInformationFolder),
       "RecipientInformationFolder"},
      {row_of("Search.Store", gen::SearchStoreStatus::TooComplex), "TooComplex"},
      {row_of("Search.Picture", gen::SearchPictureStatus::NoPicture), "NoPicture"},
      {row_of("Settings.Operation", gen::SettingsOperationStatus::ConflictingArguments),
       "ConflictingArguments"},
      {row_of("Settings.DevicePassword", gen::SettingsDevicePasswordStatus::DeniedByPolicy),
       "DeniedByPolicy"},
      {row_of("ValidateCert", gen::ValidateCertStatus::UnknownServerError), "UnknownServerError"},
      {row_of("Provision.RemoteWipe", gen::ProvisionRemoteWipeStatus::Failed), "Failed"},
  };
  for (const auto& [row, name] : cases) {
    ASSERT_NE(row, nullptr) << name;
    EXPECT_EQ(row->name, name);
  }
}

TEST(CommandStatus, KeysAreUniqueAndSectionsCited) {
  std::set<std::pair<std::string_view, int>> by_value;
  std::set<std::pair<std::string_view, std::string_view>> by_name;
  std::set<std::string_view> tables;
  for (const auto& r : gen::command_statuses) {
    EXPECT_TRUE(by_value.emplace(r.command, r.value).second) << r.command << " " << int{r.value};
    EXPECT_TRUE(by_name.emplace(r.command, r.name).second) << r.command << " " << r.name;
    EXPECT_TRUE(r.section.starts_with("MS-ASCMD 2.2.3.177.") ||
                r.section.starts_with("MS-ASPROV 2.2.2.54."))
        << r.command << " " << r.section;
    EXPECT_NE(r.versions, 0) << r.command;
    EXPECT_EQ(gen::find_command_status(r.command, r.value), &r);
    tables.insert(r.command);
  }
  EXPECT_EQ(tables.size(), 28u);  // one key per spec table
}

}  // namespace test_command_status
