/**
 * The starting glossary: common IT terms explained for a business colleague. Migration 0013 inserts exactly these rows
 * once (so every deployment starts with them, and an entry a moderator deletes stays deleted); the glossary test
 * checks that the migration and this list agree. Ordinary words are written lowercase (matched in any case); names and
 * acronyms keep their capitals (see app/lib/glossary-match.ts for how each is recognised in posts).
 */
export type StartingGlossaryEntry = { term: string; expansion: string; explanation: string; synonyms: string[] };

export const STARTING_GLOSSARY: StartingGlossaryEntry[] = [
  {
    term: "MFA",
    expansion: "multi-factor authentication",
    explanation:
      "Signing in with your password plus a second proof that it is really you, such as a code or a tap on your phone. A stolen password alone is then not enough.",
    synonyms: ["2FA", "two-factor authentication", "two-step verification", "multifactor authentication"],
  },
  {
    term: "Wi-Fi",
    expansion: "wireless network",
    explanation:
      "The network you join without a cable, by picking its name and typing its password. Walls and distance make it slower.",
    synonyms: ["wifi", "wireless", "WLAN"],
  },
  {
    term: "VPN",
    expansion: "virtual private network",
    explanation:
      "A secure tunnel from your laptop to the office network over the internet, so you can reach internal systems from home or on the road.",
    synonyms: ["remote access VPN"],
  },
  {
    term: "SSO",
    expansion: "single sign-on",
    explanation:
      "Signing in once with your work account and being let into many apps without typing your password again.",
    synonyms: ["single sign on"],
  },
  {
    term: "DNS",
    expansion: "Domain Name System",
    explanation:
      "The internet's phone book: it turns names like example.com into the number addresses computers use. When it fails, websites seem down even though they are not.",
    synonyms: ["name resolution"],
  },
  {
    term: "DHCP",
    expansion: "Dynamic Host Configuration Protocol",
    explanation:
      "The service that hands each device an address automatically when it joins the network, so nobody has to set it by hand.",
    synonyms: [],
  },
  {
    term: "VLAN",
    expansion: "virtual local area network",
    explanation:
      "A way to split one physical office network into separate networks, for example keeping guests and printers apart from staff laptops.",
    synonyms: [],
  },
  {
    term: "LAN",
    expansion: "local area network",
    explanation:
      "The network inside one building or office: the cables, switches and Wi-Fi that connect the computers and printers there.",
    synonyms: ["local network"],
  },
  {
    term: "IP address",
    expansion: "Internet Protocol address",
    explanation:
      "The number that identifies a device on a network, like a street address for your computer (for example 192.168.1.20).",
    synonyms: ["IP"],
  },
  {
    term: "router",
    expansion: "",
    explanation: "The box that connects your home or office network to the internet and passes traffic between them.",
    synonyms: [],
  },
  {
    term: "firewall",
    expansion: "",
    explanation:
      "A security guard for network traffic: it decides which connections are allowed in and out and blocks the rest.",
    synonyms: [],
  },
  {
    term: "phishing",
    expansion: "",
    explanation:
      "Fake emails or messages that pretend to be someone you trust to make you click a link, open a file or type your password. When in doubt, report it rather than click.",
    synonyms: ["phishing email", "spear phishing"],
  },
  {
    term: "malware",
    expansion: "malicious software",
    explanation:
      "Any program made to do harm: steal data, spy on you or break your computer. Viruses and ransomware are kinds of malware.",
    synonyms: ["computer virus", "virus"],
  },
  {
    term: "ransomware",
    expansion: "",
    explanation:
      "Malware that locks or scrambles your files and demands payment to unlock them. Good backups are the best defence.",
    synonyms: [],
  },
  {
    term: "antivirus",
    expansion: "",
    explanation:
      "Software on your computer that looks for malware and stops it. At work it is usually managed centrally, so you rarely see it.",
    synonyms: ["anti-virus", "endpoint protection"],
  },
  {
    term: "SaaS",
    expansion: "software as a service",
    explanation:
      "Software you use through the browser or an app and pay for by subscription, while the supplier runs it for you (for example Microsoft 365 or Salesforce).",
    synonyms: ["software-as-a-service"],
  },
  {
    term: "cloud",
    expansion: "cloud computing",
    explanation:
      "Computers, storage and apps that run in a supplier's data centre and that you use over the internet, instead of machines in your own office.",
    synonyms: ["the cloud"],
  },
  {
    term: "backup",
    expansion: "",
    explanation:
      "A copy of your files kept somewhere else, so they can be brought back after a mistake, a broken laptop or ransomware.",
    synonyms: ["back up", "back-up"],
  },
  {
    term: "OneDrive",
    expansion: "Microsoft OneDrive",
    explanation:
      "Microsoft's place for your own work files in the cloud. Files there are backed up and reachable from any of your devices.",
    synonyms: ["OneDrive for Business", "onedrive"],
  },
  {
    term: "SharePoint",
    expansion: "Microsoft SharePoint",
    explanation:
      "Microsoft's shared file and intranet sites for teams. The Files tab of a Teams channel is stored in SharePoint.",
    synonyms: ["sharepoint"],
  },
  {
    term: "Teams",
    expansion: "Microsoft Teams",
    explanation: "Microsoft's app for chat, calls, online meetings and shared team files.",
    synonyms: ["MS Teams"],
  },
  {
    term: "Outlook",
    expansion: "Microsoft Outlook",
    explanation: "Microsoft's email and calendar app, on the computer, on the phone and in the browser.",
    synonyms: [],
  },
  {
    term: "Microsoft 365",
    expansion: "",
    explanation:
      "Microsoft's subscription bundle of Office apps and online services: Outlook, Word, Excel, Teams, OneDrive and more.",
    synonyms: ["Office 365", "M365", "O365"],
  },
  {
    term: "print spooler",
    expansion: "",
    explanation:
      "The part of Windows that queues documents and feeds them to the printer. When it gets stuck, nothing prints until it is restarted.",
    synonyms: ["printer spooler", "spooler", "print queue"],
  },
  {
    term: "password manager",
    expansion: "",
    explanation:
      "An app that remembers strong, different passwords for all your accounts, so you only need to remember one.",
    synonyms: [],
  },
  {
    term: "encryption",
    expansion: "",
    explanation:
      "Scrambling data so only someone with the right key can read it. A lost encrypted laptop does not leak its files.",
    synonyms: ["encrypted"],
  },
  {
    term: "BitLocker",
    expansion: "",
    explanation:
      "The Windows feature that encrypts a laptop's disk. After some changes it asks for a long recovery key, which IT can look up for you.",
    synonyms: ["BitLocker recovery key"],
  },
  {
    term: "patch",
    expansion: "",
    explanation:
      "An update that fixes a bug or closes a security hole. Installing patches promptly is one of the best ways to stay safe.",
    synonyms: ["security update", "patching"],
  },
  {
    term: "OS",
    expansion: "operating system",
    explanation:
      "The basic software that runs a computer or phone and everything on it, such as Windows, macOS, iOS or Android.",
    synonyms: [],
  },
  {
    term: "browser",
    expansion: "web browser",
    explanation: "The app you use to open websites, such as Edge, Chrome, Safari or Firefox.",
    synonyms: [],
  },
  {
    term: "cache",
    expansion: "",
    explanation:
      "Copies of things you used recently, kept so they load faster next time. Clearing it fixes pages that show old or broken content.",
    synonyms: ["browser cache"],
  },
  {
    term: "cookie",
    expansion: "",
    explanation:
      "A small note a website saves in your browser, for example to keep you signed in or remember your settings.",
    synonyms: [],
  },
  {
    term: "URL",
    expansion: "Uniform Resource Locator",
    explanation: "The address of a web page, the text starting with https:// in the browser's address bar.",
    synonyms: ["web address"],
  },
  {
    term: "HTTPS",
    expansion: "Hypertext Transfer Protocol Secure",
    explanation:
      "The secure way browsers talk to websites; the padlock in the address bar. It stops others on the network reading what you send.",
    synonyms: [],
  },
  {
    term: "certificate",
    expansion: "TLS certificate",
    explanation:
      "A website's or server's digital ID card that proves it is who it says it is. An expired one makes browsers show a security warning.",
    synonyms: ["SSL certificate"],
  },
  {
    term: "bandwidth",
    expansion: "",
    explanation:
      "How much data a connection can carry at once, like the number of lanes on a road. Large downloads and video calls need more of it.",
    synonyms: [],
  },
  {
    term: "latency",
    expansion: "",
    explanation:
      "The delay before data arrives. High latency makes calls stutter and remote desktops feel sluggish even on a fast connection.",
    synonyms: ["lag"],
  },
  {
    term: "Ethernet",
    expansion: "",
    explanation:
      "A wired network connection: the cable with a wide plug that goes into your laptop, dock or a socket in the wall. Usually faster and steadier than Wi-Fi.",
    synonyms: ["network cable", "LAN cable"],
  },
  {
    term: "MAC address",
    expansion: "media access control address",
    explanation:
      "A fixed serial number of a device's network adapter. IT sometimes asks for it to let a device onto the network.",
    synonyms: [],
  },
  {
    term: "proxy",
    expansion: "proxy server",
    explanation:
      "A go-between server that your web traffic passes through, often to filter or speed up internet access.",
    synonyms: [],
  },
  {
    term: "RDP",
    expansion: "Remote Desktop Protocol",
    explanation: "A way to see and use another computer's screen over the network, as if you sat in front of it.",
    synonyms: ["remote desktop"],
  },
  {
    term: "ticket",
    expansion: "support ticket",
    explanation:
      "A request logged with the IT help desk so it gets tracked until it is solved. Its number helps everyone find it again.",
    synonyms: ["service request", "help desk ticket"],
  },
  {
    term: "admin rights",
    expansion: "administrator rights",
    explanation:
      "Permission to install software and change settings on a computer. Most staff do not have them, to keep malware out.",
    synonyms: ["admin privileges", "local admin"],
  },
  {
    term: "Active Directory",
    expansion: "",
    explanation:
      "The company's central list of people, computers and groups, which decides who can sign in and what they can reach.",
    synonyms: ["AD"],
  },
  {
    term: "Entra ID",
    expansion: "Microsoft Entra ID",
    explanation:
      "Microsoft's cloud version of the company's list of accounts, behind signing in to Microsoft 365. It used to be called Azure AD.",
    synonyms: ["Azure AD", "Azure Active Directory"],
  },
  {
    term: "Intune",
    expansion: "Microsoft Intune",
    explanation:
      "Microsoft's tool that IT uses to set up, update and protect company laptops and phones from a distance.",
    synonyms: [],
  },
  {
    term: "MDM",
    expansion: "mobile device management",
    explanation:
      "Software that lets IT set up and secure phones and laptops remotely, and wipe company data if a device is lost.",
    synonyms: [],
  },
  {
    term: "BYOD",
    expansion: "bring your own device",
    explanation:
      "Using your personal phone or laptop for work. It usually comes with some company rules or an app that keeps work data separate.",
    synonyms: [],
  },
  {
    term: "server",
    expansion: "",
    explanation:
      "A computer that provides a service to others over the network, such as email, files or a website. It usually sits in a data centre or the cloud.",
    synonyms: [],
  },
  {
    term: "spam",
    expansion: "",
    explanation:
      "Unwanted bulk email. A spam filter moves it to the junk folder, and sometimes catches a real message by mistake.",
    synonyms: ["junk mail", "junk email"],
  },
  {
    term: "spoofing",
    expansion: "",
    explanation: "Faking the sender of an email or a caller ID so a message seems to come from someone you trust.",
    synonyms: ["email spoofing"],
  },
  {
    term: "zero-day",
    expansion: "",
    explanation:
      "A security hole that attackers use before the maker has a fix ready. The advice is usually to update as soon as a fix appears.",
    synonyms: ["zero day", "0-day"],
  },
  {
    term: "reboot",
    expansion: "",
    explanation:
      "Turning a device off and on again properly. It clears stuck programs and finishes installing updates.",
    synonyms: ["restart", "power cycle"],
  },
  {
    term: "driver",
    expansion: "device driver",
    explanation:
      "A small program that lets the computer talk to a piece of hardware such as a printer, dock or graphics card.",
    synonyms: [],
  },
  {
    term: "firmware",
    expansion: "",
    explanation:
      "The software built into a device itself, such as a router, printer or laptop. It gets updates too, less often.",
    synonyms: [],
  },
  {
    term: "shared mailbox",
    expansion: "",
    explanation:
      "An email address several people read and answer from, such as info@ or support@, without sharing a password.",
    synonyms: [],
  },
  {
    term: "distribution list",
    expansion: "",
    explanation: "One email address that forwards to a group of people, so you can write to a whole team at once.",
    synonyms: ["mailing list", "contact group", "DL"],
  },
  {
    term: "sync",
    expansion: "synchronization",
    explanation:
      "Keeping the same files, mail or settings up to date on several devices: change something on one, the others catch up.",
    synonyms: ["syncing", "synchronisation"],
  },
  {
    term: "hotspot",
    expansion: "mobile hotspot",
    explanation:
      "Sharing your phone's mobile data connection with a laptop over Wi-Fi, handy when there is no other internet.",
    synonyms: ["tethering"],
  },
  {
    term: "Bluetooth",
    expansion: "",
    explanation:
      "Short-range wireless for connecting headsets, mice, keyboards and phones to a computer without cables.",
    synonyms: [],
  },
  {
    term: "SSID",
    expansion: "service set identifier",
    explanation: "The name of a Wi-Fi network, the one you pick from the list when you connect.",
    synonyms: ["network name"],
  },
  {
    term: "ISP",
    expansion: "internet service provider",
    explanation: "The company that provides your internet connection at home or in the office.",
    synonyms: ["internet provider"],
  },
  {
    term: "API",
    expansion: "application programming interface",
    explanation:
      "An agreed way for one program to ask another for data or actions, so systems can work together without people copying things across.",
    synonyms: [],
  },
  {
    term: "authenticator app",
    expansion: "",
    explanation:
      "A phone app, such as Microsoft Authenticator, that shows sign-in codes or asks you to approve a sign-in for MFA.",
    synonyms: ["Microsoft Authenticator"],
  },
  {
    term: "account lockout",
    expansion: "",
    explanation:
      "Your account is blocked for a while after too many wrong passwords, to stop people guessing. IT or a short wait unlocks it.",
    synonyms: ["locked out"],
  },
  {
    term: "network drive",
    expansion: "",
    explanation:
      "A shared folder on a server that shows up on your computer like a drive with its own letter, such as S:.",
    synonyms: ["mapped drive", "shared drive"],
  },
];
