# Stepwise: offline upgrade of AWS drivers, run by AWSSupport-StartEC2RescueWorkflow on a helper
# instance to which the stopped instance's root volume is attached (EC2RESCUE_OFFLINE_DRIVE).
# Injects the latest ENA, NVMe and PV drivers into the offline Windows image, skipping a driver whose
# installed version is already the latest (unless Stepwise sets $Force to $true for ForceUpgrade).
$ErrorActionPreference = 'Stop'
$Force = __FORCE__
$offline = $env:EC2RESCUE_OFFLINE_DRIVE
if (-not $offline) { throw 'EC2RESCUE_OFFLINE_DRIVE is not set: this script must run inside EC2Rescue offline' }
$work = Join-Path $env:TEMP 'stepwise-drivers'
New-Item -ItemType Directory -Force -Path $work | Out-Null
$packages = [ordered]@{
    'AwsEnaNetworkDriver' = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/Latest/AwsEnaNetworkDriver.zip'
    'AWSNVMe'             = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads/NVMe/Latest/AWSNVMe.zip'
    'AWSPVDriver'         = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads/AWSPV/Latest/AWSPVDriver.zip'
}
$installed = Get-WindowsDriver -Path $offline
foreach ($name in $packages.Keys) {
    $zip = Join-Path $work "$name.zip"
    Invoke-WebRequest -UseBasicParsing -Uri $packages[$name] -OutFile $zip
    $dir = Join-Path $work $name
    Expand-Archive -Force -Path $zip -DestinationPath $dir
    $inf = Get-ChildItem -Recurse -Path $dir -Filter *.inf | Select-Object -First 1
    $latest = (Get-WindowsDriver -Online:$false -Path $offline -Driver $inf.FullName | Select-Object -First 1).Version
    $current = ($installed | Where-Object { $_.OriginalFileName -like "*$($inf.Name)" } | Select-Object -First 1).Version
    if (-not $Force -and $current -and ([version]$current -ge [version]$latest)) {
        Write-Output "$name $current is already the latest; skipped"
        continue
    }
    Add-WindowsDriver -Path $offline -Driver $dir -Recurse -ForceUnsigned:$false | Out-Null
    Write-Output "$name upgraded from $(if ($current) { $current } else { 'none' }) to $latest"
}
