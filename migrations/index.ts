import { CreateFoundation1795266016580 } from './1795266016580-CreateFoundation';
import { AddTargetDetailsAndLetterTranslations1795270571591 } from './1795270571591-AddTargetDetailsAndLetterTranslations';
import { CreateLetters1795270838677 } from './1795270838677-CreateLetters';
import { CreateTargetReplies1795271220096 } from './1795271220096-CreateTargetReplies';
import { AddTargetSendingWindow1795271397049 } from './1795271397049-AddTargetSendingWindow';
import { CreateDigests1795271294868 } from './1795271294868-CreateDigests';
import { CreateSignatureChain1795267161309 } from './1795267161309-CreateSignatureChain';
import { AddPublicSignersIndex1795272000000 } from './1795272000000-AddPublicSignersIndex';
import { CreateAbuseDefence1796004025639 } from './1796004025639-CreateAbuseDefence';
import { AddSendLeasesAndZoneClock1796000649957 } from './1796000649957-AddSendLeasesAndZoneClock';
import { AddCampaignTimeZone1796000905958 } from './1796000905958-AddCampaignTimeZone';
import { AddCancelledLetters1796004321008 } from './1796004321008-AddCancelledLetters';
import { CreateTrendingAlerts1796004325506 } from './1796004325506-CreateTrendingAlerts';
import { CreateAuditEvents1796009630549 } from './1796009630549-CreateAuditEvents';
import { EncryptSupporterData1796009683191 } from './1796009683191-EncryptSupporterData';
import { AddCampaignSupportersAnonymisedAt1796010331763 } from './1796010331763-AddCampaignSupportersAnonymisedAt';
import { CreatePrivacyRequests1796010772065 } from './1796010772065-CreatePrivacyRequests';
import { AddSignaturesCampaignCreatedIndex1796012870387 } from './1796012870387-AddSignaturesCampaignCreatedIndex';
import { CreateConsoleSessions1796012835387 } from './1796012835387-CreateConsoleSessions';
import { AddOrganiserDisabledAt1796013213998 } from './1796013213998-AddOrganiserDisabledAt';
import { CreateOrganiserTokens1796013513855 } from './1796013513855-CreateOrganiserTokens';
import { AddSignaturesVerifiedDayIndex1796015490762 } from './1796015490762-AddSignaturesVerifiedDayIndex';
import { CreateCaseUpdates1796020000000 } from './1796020000000-CreateCaseUpdates';
import { CreateCampaignMedia1796020485769 } from './1796020485769-CreateCampaignMedia';
import { CreateOrganiserNotices1796110000000 } from './1796110000000-CreateOrganiserNotices';
import { AddCaseUpdateFinalCounts1796110000001 } from './1796110000001-AddCaseUpdateFinalCounts';
import { AddUpdateDeliveryBatchLeases1796120000000 } from './1796120000000-AddUpdateDeliveryBatchLeases';
import { AddCommentModerationAndReview1796130000000 } from './1796130000000-AddCommentModerationAndReview';
import { AddOfficialAnswers1796140000000 } from './1796140000000-AddOfficialAnswers';
import { CreateCampaignPartners1796150000000 } from './1796150000000-CreateCampaignPartners';
import { AddOrganiserCredentialsVersion1796160000000 } from './1796160000000-AddOrganiserCredentialsVersion';
import { AddCaseUpdateRequestKey1796170000000 } from './1796170000000-AddCaseUpdateRequestKey';
import { AddTallyEventCreatedAt1796180000000 } from './1796180000000-AddTallyEventCreatedAt';
import { HotMailClaims1796220000000 } from './1796220000000-HotMailClaims';
import { HotLetterClaims1796230000000 } from './1796230000000-HotLetterClaims';

/** Every migration, oldest first. Listed by hand so the same list serves the app, the CLI and Jest. */
export const MIGRATIONS = [
  CreateFoundation1795266016580,
  CreateSignatureChain1795267161309,
  AddTargetDetailsAndLetterTranslations1795270571591,
  CreateLetters1795270838677,
  CreateTargetReplies1795271220096,
  CreateDigests1795271294868,
  AddTargetSendingWindow1795271397049,
  AddPublicSignersIndex1795272000000,
  AddSendLeasesAndZoneClock1796000649957,
  AddCampaignTimeZone1796000905958,
  CreateAbuseDefence1796004025639,
  AddCancelledLetters1796004321008,
  CreateTrendingAlerts1796004325506,
  CreateAuditEvents1796009630549,
  EncryptSupporterData1796009683191,
  AddCampaignSupportersAnonymisedAt1796010331763,
  CreatePrivacyRequests1796010772065,
  CreateConsoleSessions1796012835387,
  AddSignaturesCampaignCreatedIndex1796012870387,
  AddOrganiserDisabledAt1796013213998,
  CreateOrganiserTokens1796013513855,
  AddSignaturesVerifiedDayIndex1796015490762,
  CreateCaseUpdates1796020000000,
  CreateCampaignMedia1796020485769,
  CreateOrganiserNotices1796110000000,
  AddCaseUpdateFinalCounts1796110000001,
  AddUpdateDeliveryBatchLeases1796120000000,
  AddCommentModerationAndReview1796130000000,
  AddOfficialAnswers1796140000000,
  CreateCampaignPartners1796150000000,
  AddOrganiserCredentialsVersion1796160000000,
  AddCaseUpdateRequestKey1796170000000,
  AddTallyEventCreatedAt1796180000000,
  HotMailClaims1796220000000,
  HotLetterClaims1796230000000,
];
