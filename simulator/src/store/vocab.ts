/**
 * Word lists the generators draw from. Kept small and plain: realism comes
 * from combining them, not from their length.
 */

export const FIRST_NAMES = [
  'Ada', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farah', 'Gustavo', 'Hana', 'Ivan', 'Jasmine',
  'Kofi', 'Lena', 'Mateo', 'Noor', 'Oliver', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq',
  'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoë', 'Aoife', 'Björn', 'Cian', 'Daniela',
  'Eitan', 'Fatima', 'Giulia', 'Hiroshi', 'Ines', 'Jonas', 'Kai', 'Laila', 'Marta', 'Nikolai',
] as const;

export const LAST_NAMES = [
  'Okafor', 'Smith', "O'Brien", 'García', 'Nakamura', 'Müller', 'Kowalski', 'Haddad', 'Chen', 'Silva',
  'Johansson', 'Patel', 'Rossi', 'Dubois', 'Kim', 'Nguyen', 'Murphy', 'Novak', 'Ivanova', 'Fernández',
  'Andersen', 'Costa', 'Hughes', 'Yilmaz', 'Mendes', 'Schmidt', 'Walsh', 'Suzuki', 'Baptiste', 'Laurent',
] as const;

export const FREE_EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'hotmail.co.uk'] as const;

export interface Place {
  country: string;
  countryCode: string;
  continentCode: string;
  region: string;
  city: string;
}

export const PLACES: readonly Place[] = [
  { country: 'United States', countryCode: 'US', continentCode: 'NA', region: 'California', city: 'San Francisco' },
  { country: 'United States', countryCode: 'US', continentCode: 'NA', region: 'New York', city: 'New York' },
  { country: 'United States', countryCode: 'US', continentCode: 'NA', region: 'Texas', city: 'Austin' },
  { country: 'Ireland', countryCode: 'IE', continentCode: 'EU', region: 'Dublin', city: 'Dublin' },
  { country: 'United Kingdom', countryCode: 'GB', continentCode: 'EU', region: 'England', city: 'London' },
  { country: 'Germany', countryCode: 'DE', continentCode: 'EU', region: 'Berlin', city: 'Berlin' },
  { country: 'France', countryCode: 'FR', continentCode: 'EU', region: 'Île-de-France', city: 'Paris' },
  { country: 'Brazil', countryCode: 'BR', continentCode: 'SA', region: 'São Paulo', city: 'São Paulo' },
  { country: 'Japan', countryCode: 'JP', continentCode: 'AS', region: 'Tokyo', city: 'Tokyo' },
  { country: 'India', countryCode: 'IN', continentCode: 'AS', region: 'Karnataka', city: 'Bengaluru' },
  { country: 'Australia', countryCode: 'AU', continentCode: 'OC', region: 'New South Wales', city: 'Sydney' },
  { country: 'Nigeria', countryCode: 'NG', continentCode: 'AF', region: 'Lagos', city: 'Lagos' },
  { country: 'Canada', countryCode: 'CA', continentCode: 'NA', region: 'Ontario', city: 'Toronto' },
  { country: 'Spain', countryCode: 'ES', continentCode: 'EU', region: 'Catalonia', city: 'Barcelona' },
];

export const BROWSERS = [
  { name: 'chrome', versions: ['118.0.5993.88', '124.0.6367.60', '131.0.6778.86'] },
  { name: 'safari', versions: ['16.6', '17.4.1', '18.1'] },
  { name: 'firefox', versions: ['115.0', '126.0', '132.0'] },
  { name: 'edge', versions: ['120.0.2210.91', '131.0.2903.70'] },
] as const;

export const OPERATING_SYSTEMS = ['OS X 14.4', 'Windows 10', 'Windows 11', 'Linux', 'iOS 17.5', 'Android 14'] as const;

export const LANGUAGES = ['en', 'en-US', 'en-GB', 'fr', 'de', 'es', 'pt-BR', 'ja'] as const;

export const COMPANY_PREFIXES = [
  'Blue', 'Northwind', 'Acme', 'Granite', 'Lumen', 'Harbor', 'Quartz', 'Pioneer', 'Sable', 'Tidal',
  'Vertex', 'Willow', 'Summit', 'Copper', 'Nimbus', 'Orchid', 'Atlas', 'Beacon', 'Cobalt', 'Delta',
] as const;

export const COMPANY_SUFFIXES = [
  'Labs', 'Logistics', 'Health', 'Robotics', 'Foods', 'Analytics', 'Studios', 'Energy', 'Finance', 'Systems',
  'Outfitters', 'Media', 'Bio', 'Freight', 'Networks',
] as const;

export const INDUSTRIES = ['Software', 'Retail', 'Healthcare', 'Logistics', 'Financial Services', 'Education', 'Manufacturing', 'Media'] as const;

export const PLANS = [
  { id: '269315', name: 'Starter' },
  { id: '269316', name: 'Pro' },
  { id: '269317', name: 'Premium' },
  { id: '269318', name: 'Enterprise' },
] as const;

export const TAG_NAMES = [
  'VIP', 'Beta tester', 'Churn risk', 'Onboarding', 'Newsletter', 'Enterprise lead', 'Bug reporter', 'NPS promoter',
  'NPS detractor', 'Trial', 'Partner', 'Do not contact', 'Webinar 2026', 'Feature: SSO', 'Billing issue', 'Upsell',
  'Event: Summit', 'Needs follow-up', 'Happy customer', 'Migrated', 'Referral', 'Spam', 'Investor', 'Press',
] as const;

export const TEAM_NAMES = ['Support', 'Success', 'Sales', 'Billing', 'Engineering escalations', 'Onboarding', 'Tier 2'] as const;

export const JOB_TITLES = ['Support Engineer', 'Customer Success Manager', 'Account Executive', 'Head of Support', 'Billing Specialist', 'Solutions Engineer'] as const;

export const CONVERSATION_SUBJECTS = [
  'Cannot log in', 'Invoice question', 'Feature request: dark mode', 'Export to CSV fails', 'Refund request',
  'How do I add a teammate?', 'API rate limits', 'SSO setup', 'Data looks wrong', 'Cancel my plan',
] as const;

export const CONTACT_LINES = [
  "Hi, I can't log in since this morning.",
  'Is there a way to export my data?',
  'The dashboard shows the wrong totals for last week.',
  'Could you help me change the billing email?',
  'Thanks, that fixed it!',
  'I still see the error after clearing the cache.',
  'Where can I find the API docs?',
  'We would like to upgrade to the annual plan.',
  'Ça ne marche toujours pas 😕',
  'Any update on this?',
] as const;

export const ADMIN_LINES = [
  'Thanks for reaching out! Let me take a look.',
  'Could you send a screenshot of what you see?',
  'I have reset your session; please try again.',
  'This is a known issue and a fix is on the way.',
  'You can export from Settings → Data → Export.',
  'I have passed this on to our billing team.',
  'Glad to hear it is working now!',
] as const;

export const NOTE_LINES = [
  'Customer is on the legacy plan, check before refunding.',
  'Escalated to engineering, see JIRA-4821.',
  'Same issue as last month.',
] as const;

export const ARTICLE_TOPICS = [
  'Getting started', 'Inviting teammates', 'Exporting your data', 'Billing and invoices', 'Single sign-on',
  'Using the API', 'Webhooks', 'Troubleshooting login problems', 'Mobile apps', 'Security and privacy',
  'Integrations', 'Reporting', 'Custom fields', 'Automation rules', 'Account deletion',
] as const;

export const COLLECTION_NAMES = [
  'Getting Started', 'Account & Billing', 'Integrations', 'Troubleshooting', 'Developers', 'Security',
  'Mobile', 'Reporting', 'Administration', 'Release notes', 'FAQ', 'Guides',
] as const;
