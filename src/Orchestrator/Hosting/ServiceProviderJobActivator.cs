using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Lets Hangfire build job classes from our container instead of its global static state.</summary>
internal sealed class ServiceProviderJobActivator(IServiceProvider services) : JobActivator
{
    public override object ActivateJob(Type jobType) => ActivatorUtilities.GetServiceOrCreateInstance(services, jobType);
}
